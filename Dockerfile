# The alliance explorer API (and the `alliances` CLI) on Python 3.11; docker-compose.yml runs it
# next to Neo4j 5. The data it reads at run time (app.config.DATA_DIRS: the seeds with the paper,
# the scenarios, the Neo4j Browser guide) is copied to /app, and a non-editable install finds it
# through the ALLIANCE_* variables below (tests/test_docker.py checks both against the app).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies and the package first, so editing seeds or docs does not reinstall them.
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph_schema ./graph_schema
RUN pip install .

COPY seeds ./seeds
COPY scenarios ./scenarios
COPY docs/neo4j ./docs/neo4j
ENV ALLIANCE_SEEDS_DIR=/app/seeds \
    ALLIANCE_PAPER=/app/seeds/source/finnegan-2009.txt \
    ALLIANCE_SCENARIOS_DIR=/app/scenarios \
    ALLIANCE_DOCS_DIR=/app/docs

RUN useradd --create-home --uid 10001 explorer
USER explorer

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["alliances", "serve", "--host", "0.0.0.0", "--port", "8000"]
