"""The REST API (FastAPI): thin routes over the questions in ``app.questions``."""
