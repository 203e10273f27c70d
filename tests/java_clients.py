"""The Java clients the export tests run: resolved from Maven Central, built with javac, cached.

Each client is a folder of ``tests/java/``: a ``pom.xml`` naming its Maven Central artifacts and,
for the programs, a ``.java`` source.

- ``gephi``: ``org.gephi:gephi-toolkit:0.10.1`` classifier ``all`` (the self-contained jar; its
  POM's transitive dependencies and repositories are excluded), and ``GexfCheck.java``;
- ``jgrapht``: ``org.jgrapht:jgrapht-io`` (its validating GraphML importer), and
  ``GraphmlCheck.java``;
- ``cypher-shell``: ``org.neo4j:cypher-shell`` (main class ``org.neo4j.shell.Main``).

``mvn dependency:build-classpath`` downloads the jars into Maven's own cache (``~/.m2``), so a
second run is offline and fast; the pom is copied to a scratch folder first, so nothing is
written into the source tree. Needs ``mvn`` and a JDK 17+ (``java``, ``javac``) on the PATH; a
missing one raises ``ClientMissing`` (the tests fail on it, they never skip).

``python -m tests.java_clients`` resolves and builds all of them once (what the tests do on
their first run), e.g. to warm a CI cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

JAVA_DIR = Path(__file__).parent / "java"
CLIENTS = ("gephi", "jgrapht", "cypher-shell")
MVN_TIMEOUT = 900
JAVAC_TIMEOUT = 300


class ClientMissing(RuntimeError):
    """A tool the Java clients need (mvn, java, javac) is not installed, or Maven failed."""


def tool(name: str) -> str:
    """The path of ``name`` on the PATH (``$JAVA_HOME/bin`` first for java and javac)."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and name in ("java", "javac"):
        candidate = Path(java_home) / "bin" / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        hint = "apt-get install maven" if name == "mvn" else "apt-get install openjdk-17-jdk-headless"
        raise ClientMissing(f"{name} is not on the PATH; the Java client tests need it ({hint})")
    return found


def classpath(client: str, work: Path) -> str:
    """Resolve ``tests/java/<client>/pom.xml`` with Maven; returns the classpath of its jars."""
    pom_dir = work / client / "pom"
    pom_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(JAVA_DIR / client / "pom.xml", pom_dir / "pom.xml")
    out = pom_dir / "classpath.txt"
    cmd = [
        tool("mvn"),
        "-q",
        "-B",
        "-Dstyle.color=never",
        "-f",
        str(pom_dir / "pom.xml"),
        "dependency:build-classpath",
        f"-Dmdep.outputFile={out}",
        f"-Dmdep.pathSeparator={os.pathsep}",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=MVN_TIMEOUT, cwd=pom_dir, check=False)
    if proc.returncode != 0 or not out.is_file():
        errors = [line for line in proc.stdout.splitlines() if "ERROR" in line] or proc.stdout.splitlines()[-5:]
        raise ClientMissing(f"mvn could not resolve tests/java/{client}/pom.xml: " + " ".join(errors)[:2000])
    return out.read_text(encoding="utf-8").strip()


def build(client: str, work: Path) -> str:
    """Resolve the client's jars and compile its ``.java`` sources (if any) into ``work``;
    returns the classpath to run it with."""
    jars = classpath(client, work)
    sources = sorted((JAVA_DIR / client).glob("*.java"))
    if not sources:
        return jars
    classes = work / client / "classes"
    classes.mkdir(parents=True, exist_ok=True)
    cmd = [tool("javac"), "-encoding", "UTF-8", "-d", str(classes), "-cp", jars, *map(str, sources)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=JAVAC_TIMEOUT, check=False)
    if proc.returncode != 0:
        raise ClientMissing(f"javac failed on tests/java/{client}: {proc.stderr[-2000:]}")
    return os.pathsep.join([str(classes), jars])


def run_java(cp: str, main: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``main`` headless with ``cp``; the caller checks the exit code and output."""
    cmd = [tool("java"), "-Djava.awt.headless=true", "-Xmx768m", "-cp", cp, main, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        for client in CLIENTS:
            build(client, Path(tmp))
            print(f"{client}: resolved and built")
    return 0


if __name__ == "__main__":
    sys.exit(main())
