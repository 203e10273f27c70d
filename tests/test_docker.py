"""The Docker image holds everything the explorer serves (issue 28, item 5), checked without a Docker engine.

The image's file set is built here as ``docker build`` would: the Dockerfile's ``COPY`` lines over the
build context less ``.dockerignore``, into a scratch root, and the package ``pip install .`` installs
there (the packages and package data ``pyproject.toml`` declares, found by setuptools itself) into a
scratch site-packages. The app is then started from that site-packages only (``python -P``: no
checkout on its path), with the Dockerfile's ``ENV`` pointing into the scratch root, and every route
must answer as the checkout answers: the scenarios (``/scenarios`` was ``[]`` in the image), the
charts, the Browser guide, the page and its assets, the exports. ``app.config.DATA_DIRS`` lists the
folders of data the app reads at run time; each must be set by the Dockerfile and copied. And the
compose file's ``load`` step runs the image's ``alliances load``, which checks the scenarios against
the seeds it loads, from the same image and data as the API.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import httpx
import pytest
import yaml
from setuptools import find_namespace_packages

from app.config import DATA_DIRS
from app.main import app
from tests.live_server import free_port, live_server, wait_for_health
from tests.test_make import _listeners, _was_contacted

REPO = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------------------------- the image, built


@dataclass
class Dockerfile:
    workdir: PurePosixPath = field(default_factory=lambda: PurePosixPath("/"))
    copies: list[tuple[list[str], PurePosixPath]] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    cmd: list[str] = field(default_factory=list)


def parse_dockerfile(text: str) -> Dockerfile:
    """The instructions that shape the image's files and environment (continuations joined); any
    instruction that would put files in the image some other way fails here, to be handled."""
    parsed = Dockerfile()
    logical = re.sub(r"\\\n", " ", text)
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "WORKDIR":
            parsed.workdir = parsed.workdir / rest.strip()
        elif word == "COPY":
            args = shlex.split(rest)
            assert not any(a.startswith("--") for a in args), f"COPY option not understood here: {line}"
            dest = PurePosixPath(args[-1])
            parsed.copies.append((args[:-1], dest if dest.is_absolute() else parsed.workdir / dest))
        elif word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                parsed.env[key] = value
        elif word == "CMD":
            parsed.cmd = yaml.safe_load(rest)
        else:
            assert word in ("FROM", "RUN", "USER", "EXPOSE", "HEALTHCHECK"), f"instruction not understood: {word}"
    return parsed


def dockerignore(text: str) -> list[re.Pattern[str]]:
    """``.dockerignore`` patterns as regular expressions over context paths (``*``, ``?``, ``**``)."""
    patterns = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert not line.startswith("!"), "exceptions in .dockerignore are not understood here"
        glob = line.strip("/")
        regex = "".join(
            ".*" if part == "**" else re.escape(part).replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
            for part in re.split(r"(\*\*)", glob)
        )
        patterns.append(re.compile(regex.replace(".*/", "(?:.*/)?")))
    return patterns


def ignored(rel: str, patterns: list[re.Pattern[str]]) -> bool:
    """Whether the context path ``rel`` (or a folder above it) matches a pattern."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(p.fullmatch(prefix) for p in patterns for prefix in prefixes)


def build_files(context: Path, root: Path) -> Dockerfile:
    """The files the Dockerfile copies from ``context``, written under ``root`` at their image paths."""
    docker = parse_dockerfile((context / "Dockerfile").read_text(encoding="utf-8"))
    patterns = dockerignore((context / ".dockerignore").read_text(encoding="utf-8"))
    for sources, dest in docker.copies:
        target = root / dest.relative_to("/")
        for source in sources:
            path = context / source
            assert path.exists(), f"COPY {source}: not in the build context"
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
            into_folder = path.is_dir() or len(sources) > 1 or str(dest).endswith("/") or target.is_dir()
            for file in files:
                if ignored(file.relative_to(context).as_posix(), patterns):
                    continue
                if path.is_dir():
                    out = target / file.relative_to(path)
                else:
                    out = target / file.name if into_folder else target
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(file, out)
    return docker


def install(project: Path, site: Path) -> list[str]:
    """What ``pip install .`` of ``project`` puts in site-packages: the packages setuptools finds with
    ``pyproject.toml``'s ``packages.find`` (namespaces included, as in pyproject), their modules and
    their declared package data. Returns the packages."""
    config = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    find = config.get("packages", {}).get("find", {})
    packages = find_namespace_packages(where=str(project), include=find.get("include", ["*"]))
    data = config.get("package-data", {})
    for package in packages:
        folder = project / package.replace(".", "/")
        wanted = list(folder.glob("*.py"))
        for owner, globs in data.items():
            if package == owner or package.startswith(owner + "."):
                base = project / owner.replace(".", "/")
                wanted += [p for g in globs for p in base.glob(g) if p.is_file() and p.parent == folder]
        for file in wanted:
            out = site / file.relative_to(project)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, out)
    return packages


@dataclass
class Image:
    root: Path
    site: Path
    docker: Dockerfile

    def path(self, image_path: str) -> Path:
        return self.root / PurePosixPath(image_path).relative_to("/")

    def env(self) -> dict[str, str]:
        """The container's environment: this machine's minus the explorer's settings, plus the
        Dockerfile's ENV with image paths made paths under ``root``, and the scratch site-packages."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ALLIANCE_", "PYTHONPATH"))}
        for key, value in self.docker.env.items():
            env[key] = str(self.path(value)) if value.startswith("/") else value
        env["PYTHONPATH"] = str(self.site)
        return env

    def run(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        """``python -P args`` in the image: its WORKDIR, its environment, nothing of the checkout."""
        return subprocess.run(
            [sys.executable, "-P", *args],
            cwd=self.path(str(self.docker.workdir)),
            env={**self.env(), **kwargs.pop("env", {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            **kwargs,
        )


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Image:
    root = tmp_path_factory.mktemp("image")
    docker = build_files(REPO, root)
    site = tmp_path_factory.mktemp("site-packages")
    install(root / docker.workdir.relative_to("/"), site)
    return Image(root, site, docker)


def test_the_app_in_the_image_is_the_installed_package(image: Image) -> None:
    result = image.run("-c", "import app, graph_schema; print(app.__file__); print(graph_schema.__file__)")
    assert result.returncode == 0, result.stderr
    assert all(Path(line).is_relative_to(image.site) for line in result.stdout.split()), result.stdout


# ------------------------------------------------------------------------------------- what it holds


@pytest.mark.parametrize("variable", sorted(DATA_DIRS))
def test_every_data_folder_the_app_reads_is_set_and_copied(image: Image, variable: str) -> None:
    """The app reads ``DATA_DIRS`` at run time from the repository it sits in; the installed package
    has none, so the image must set each variable to a folder it copied there."""
    assert variable in image.docker.env, f"the Dockerfile does not set {variable}"
    folder = image.path(image.docker.env[variable])
    assert folder.is_dir() and any(folder.rglob("*")), f"{variable}: nothing copied to {folder}"


def test_the_image_copies_every_scenario_and_the_paper(image: Image) -> None:
    """Issue 28: "the image never copies scenarios/ (/scenarios is [])"."""
    shipped = sorted(p.name for p in (REPO / "scenarios").glob("*.yaml"))
    copied = sorted(p.name for p in image.path(image.docker.env["ALLIANCE_SCENARIOS_DIR"]).glob("*.yaml"))
    assert copied == shipped and shipped
    assert (
        image.path(image.docker.env["ALLIANCE_PAPER"]).read_bytes()
        == (REPO / "seeds" / "source" / "finnegan-2009.txt").read_bytes()
    )


def test_validate_in_the_image_checks_the_seeds_and_every_scenario(image: Image) -> None:
    result = image.run("-m", "app.cli", "validate")
    shipped = len(list((REPO / "scenarios").glob("*.yaml")))
    assert result.returncode == 0, result.stderr
    assert f"{shipped} scenarios" in result.stdout


# ------------------------------------------------------------------------------------- what it serves

# A value for each required parameter of a route (an id the paper names); a new route with another
# required parameter fails below until it has one here.
EXAMPLES = {
    "alliance_id": "us-rok",
    "alliance": "us-rok",
    "organ_id": "us-rok.cfc",
    "scenario_id": "rok-post-2012-linkage",
    "source": "nato.nac",
    "target": "nato.saceur",
    "name": "app.js",
    "source_id": "finnegan-2009",
}
NOT_IN_SCHEMA = ["/docs", "/redoc", "/docs/static/swagger-init.js", "/docs/static/swagger-ui.css", "/web/style.css"]


def every_get() -> list[str]:
    """Every GET route of the API with its required parameters filled from ``EXAMPLES``, the
    questions asked of every shipped scenario too, and the pages outside the schema."""
    urls = []
    scenarios = sorted(p.stem for p in (REPO / "scenarios").glob("*.yaml"))
    for path, operations in app.openapi()["paths"].items():
        if "get" not in operations:
            continue
        params = operations["get"].get("parameters", [])
        required = [p for p in params if p.get("required")]
        missing = [p["name"] for p in required if p["name"] not in EXAMPLES]
        assert not missing, f"GET {path}: no example for {missing} in tests/test_docker.py EXAMPLES"
        url = path.format(**{p["name"]: EXAMPLES[p["name"]] for p in required if p["in"] == "path"})
        query = "&".join(f"{p['name']}={EXAMPLES[p['name']]}" for p in required if p["in"] == "query")
        urls.append(f"{url}?{query}" if query else url)
        if any(p["name"] == "scenario" for p in params) and "alliance" in {p["name"] for p in params}:
            urls += [f"{url}?{query or 'x=1'}&scenario={s}&as_of=2013".replace("?x=1&", "?") for s in scenarios]
    return sorted(set(urls + NOT_IN_SCHEMA))


@pytest.fixture(scope="module")
def served(image: Image) -> Iterator[str]:
    """The image's CMD, `alliances serve`, on a free port (the embedded store: no NEO4J_URI)."""
    port = free_port()
    cmd = [*image.docker.cmd]
    assert cmd[:2] == ["alliances", "serve"], cmd
    args = list(cmd[2:])
    args[args.index("--port") + 1] = str(port)
    args[args.index("--host") + 1] = "127.0.0.1"
    proc = subprocess.Popen(
        [sys.executable, "-P", "-m", "app.cli", "serve", *args],
        cwd=image.path(str(image.docker.workdir)),
        env=image.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base, proc, seconds=60)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_image_serves_what_the_checkout_serves(served: str) -> None:
    """Every GET route (and every scenario's questions) answers in the image exactly as the checkout
    does (both fresh servers): same status, same body (but for the server's own address, which the
    Browser guide's links carry), same data version."""
    urls = every_get()
    assert any("scenario=rok-post-2012-linkage" in u for u in urls)
    with (
        live_server() as checkout_base,
        httpx.Client(base_url=checkout_base, timeout=60) as checkout,
        httpx.Client(base_url=served, timeout=60) as container,
    ):
        for url in urls:
            want, got = checkout.get(url), container.get(url)
            assert (got.status_code, want.status_code) == (200, 200), (url, got.status_code, got.text[:300])
            mine = got.content.replace(served.encode(), b"BASE")
            assert mine == want.content.replace(checkout_base.encode(), b"BASE"), url
            assert got.headers.get("etag") == want.headers.get("etag"), url
        assert len(container.get("/scenarios").json()) == len(list((REPO / "scenarios").glob("*.yaml")))


# ------------------------------------------------------------------------------------- docker compose


def test_compose_loads_and_serves_from_the_same_image_and_data() -> None:
    """The ``loader`` step runs the image's ``alliances load`` (which checks the scenarios the API
    will read against the seeds it loads) from the image the API runs, and neither points the data
    folders elsewhere: what is loaded and what is served are the image's seeds and scenarios."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    loader, api = compose["services"]["loader"], compose["services"]["api"]
    assert loader["image"] == api["image"] and loader["build"] == api["build"] == "."
    assert loader["command"][:2] == ["alliances", "load"]
    assert api["depends_on"]["loader"]["condition"] == "service_completed_successfully"
    for service in (loader, api):
        overridden = set(service.get("environment", {})) & {*DATA_DIRS, "ALLIANCE_PAPER"}
        assert not overridden, overridden


def test_load_refuses_scenarios_its_seeds_cannot_carry_before_touching_neo4j(tmp_path: Path) -> None:
    """`alliances load` checks the scenarios as `validate` does: a scenario naming an organ the seeds
    lack stops the load with file and field, and Neo4j (a listening stand-in here) is never contacted."""
    scenarios = tmp_path / "scenarios"
    shutil.copytree(REPO / "scenarios", scenarios)
    broken = scenarios / "rok-post-2012-linkage.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("us-rok.rok-warfighter", "us-rok.nowhere"))
    with _listeners(1) as (neo4j,):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "ALLIANCE_"))}
        env |= {"ALLIANCE_SCENARIOS_DIR": str(scenarios), "NEO4J_URI": f"bolt://127.0.0.1:{neo4j.getsockname()[1]}"}
        result = subprocess.run(
            [sys.executable, "-m", "app.cli", "load"], cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        contacted = _was_contacted(neo4j)
    assert result.returncode == 1 and not contacted
    assert "rok-post-2012-linkage.yaml" in result.stderr and "us-rok.nowhere" in result.stderr
    assert "problem(s) in the scenarios; Neo4j was not touched" in result.stderr
