#!/usr/bin/env python3
"""Run a real Neo4j 5 Community server locally, built from Maven Central artifacts, without Docker.

Usage: neo4j_local.py [--bolt-port N] [--http-port N] {fetch,start,stop,status,restart,free-ports}

  fetch    resolve org.neo4j:neo4j and org.neo4j.client:neo4j-browser (versions in
           pom.xml beside this file) with mvn into the cache; a no-op when up to date.
  start    fetch if needed, write neo4j.conf, start the server in the background and
           wait until Bolt and HTTP answer; a no-op when already running.
  stop     SIGTERM, wait, SIGKILL after --timeout; a no-op when not running.
  status   print state, pid and ports; exit 0 when running, 3 when not.
  restart  stop, then start.
  start --set KEY=VALUE adds a neo4j.conf setting (repeatable).
  free-ports  print two free loopback ports ("BOLT HTTP"), for a server beside others
           (what `make test` starts its own server on).

Data persists across restarts. The password is set before the first start
(neo4j-admin dbms set-initial-password); when NEO4J_PASSWORD differs later, start
changes it with ALTER CURRENT USER over HTTP, using the previous one kept in the cache.

The server is org.neo4j.server.CommunityEntryPoint (what the `neo4j console` script
runs), listening on 127.0.0.1 only, with auth enabled for user `neo4j`.

Environment:
  NEO4J_PASSWORD           password of user neo4j (default: alliance-explorer)
  NEO4J_BOLT_PORT          Bolt port (default 7687)
  NEO4J_HTTP_PORT          HTTP port (default 7474)
  ALLIANCE_NEO4J_HOME      cache/state dir (default $XDG_CACHE_HOME/alliance-explorer/neo4j,
                           else ~/.cache/alliance-explorer/neo4j)
  ALLIANCE_NEO4J_JARS      another such dir whose jars this one uses: fetched there (once) and
                           its classpath copied here, so a second server needs no second download
  ALLIANCE_NEO4J_JAVA      java binary (default $JAVA_HOME/bin/java, else java on PATH)
  ALLIANCE_NEO4J_HEAP      max heap (default 1g); ALLIANCE_NEO4J_PAGECACHE (default 256m)

Only the standard library is used.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - non-POSIX
    fcntl = None  # type: ignore[assignment]

HERE = Path(__file__).resolve().parent
POM = HERE / "pom.xml"
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
DEFAULT_PASSWORD = "alliance-explorer"
USER = "neo4j"
EXIT_NOT_RUNNING = 3

# JVM flags of the stock neo4j.conf (server.jvm.additional), minus AlwaysPreTouch
# (it would make the whole heap resident at once).
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


class Fail(Exception):
    """A failure reported as one line on stderr with a non-zero exit."""

    def __init__(self, message: str, detail: str = "", code: int = 1):
        super().__init__(message)
        self.detail = detail
        self.code = code


# --------------------------------------------------------------------------- paths


class Paths:
    def __init__(self, root: Path):
        self.root = root
        self.m2 = root / "m2"  # Maven local repository used by fetch
        self.classpath = root / "classpath.txt"
        self.stamp = root / "fetch.stamp"
        self.home = root / "home"  # NEO4J_HOME
        self.conf_dir = self.home / "conf"
        self.conf = self.conf_dir / "neo4j.conf"
        self.data = self.home / "data"
        self.system_db = self.data / "databases" / "system"
        self.pid = root / "neo4j.pid"
        self.log = root / "neo4j.log"  # JVM stdout/stderr of the latest start
        self.state = root / "state.json"  # ports of the running server
        self.password = root / "password"  # password currently set for user neo4j
        self.lock = root / ".lock"


def cache_root() -> Path:
    env = os.environ.get("ALLIANCE_NEO4J_HOME")
    if env:
        return Path(env).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return (Path(xdg).expanduser() / "alliance-explorer" / "neo4j").resolve()


@contextlib.contextmanager
def locked(p: Paths):
    p.root.mkdir(parents=True, exist_ok=True)
    with open(p.lock, "a+") as fh:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_UN)


def pom_versions() -> dict[str, str]:
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    props = ET.parse(POM).getroot().find("m:properties", ns)
    out = {}
    for key in ("neo4j.version", "neo4j-browser.version"):
        el = props.find(f"m:{key}", ns) if props is not None else None
        out[key] = el.text.strip() if el is not None and el.text else "?"
    return out


def tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:])


# --------------------------------------------------------------------------- fetch


def pom_digest() -> str:
    h = hashlib.sha256(POM.read_bytes())
    return h.hexdigest()


def read_classpath(p: Paths) -> list[str] | None:
    try:
        entries = [e for e in p.classpath.read_text().strip().split(os.pathsep) if e]
    except OSError:
        return None
    if not entries or not all(os.path.isfile(e) for e in entries):
        return None
    return entries


def fetched(p: Paths) -> bool:
    try:
        stamp = p.stamp.read_text().strip()
    except OSError:
        return False
    return stamp == pom_digest() and read_classpath(p) is not None


def shared_jars(p: Paths) -> Paths | None:
    """The cache dir named by ALLIANCE_NEO4J_JARS, when it is another one than ``p``'s."""
    env = os.environ.get("ALLIANCE_NEO4J_JARS")
    if not env:
        return None
    root = Path(env).expanduser().resolve()
    return None if root == p.root else Paths(root)


def fetch(p: Paths, quiet: bool = False) -> None:
    shared = shared_jars(p)
    if shared is not None and not fetched(p):
        # The classpath names the jars by absolute path: a copy of it is this dir's classpath.
        with locked(shared):
            fetch(shared, quiet=True)
        p.root.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared.classpath, p.classpath)
        shutil.copy(shared.stamp, p.stamp)
        if not quiet:
            print(f"using the jars fetched in {shared.root}")
        return
    versions = pom_versions()
    what = f"neo4j {versions['neo4j.version']} + neo4j-browser {versions['neo4j-browser.version']}"
    if fetched(p):
        if not quiet:
            print(f"up to date: {what} in {p.root}")
        return
    mvn = shutil.which("mvn")
    if not mvn:
        raise Fail("mvn not found on PATH (needed once to download the Neo4j jars from Maven Central)")
    p.root.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    tmp = p.classpath.with_suffix(".tmp")
    cmd = [
        mvn, "-q", "-B", "-Dstyle.color=never", "-f", str(POM),
        f"-Dmaven.repo.local={p.m2}",
        "dependency:build-classpath",
        f"-Dmdep.outputFile={tmp}",
        f"-Dmdep.pathSeparator={os.pathsep}",
    ]
    if not quiet:
        print(f"fetching {what} with mvn into {p.m2} ...", flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          cwd=str(p.root))
    if proc.returncode != 0:
        output = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout)
        errors = [ln for ln in output.splitlines() if "[ERROR]" in ln]
        first = errors[0].replace("[ERROR]", "").strip() if errors else f"exit {proc.returncode}"
        raise Fail(f"mvn could not resolve the Neo4j artifacts: {first}", "\n".join(output.splitlines()[-30:]))
    os.replace(tmp, p.classpath)
    if read_classpath(p) is None:
        raise Fail(f"mvn succeeded but the classpath in {p.classpath} lists missing files")
    p.stamp.write_text(pom_digest() + "\n")
    if not quiet:
        print(f"fetched {what} in {time.monotonic() - t0:.1f} s")


# --------------------------------------------------------------------------- java


def java_bin() -> str:
    explicit = os.environ.get("ALLIANCE_NEO4J_JAVA")
    if explicit:
        return explicit
    jh = os.environ.get("JAVA_HOME")
    if jh and os.access(os.path.join(jh, "bin", "java"), os.X_OK):
        return os.path.join(jh, "bin", "java")
    found = shutil.which("java")
    if not found:
        raise Fail("java not found (install a Java 17 or 21 runtime, or set ALLIANCE_NEO4J_JAVA)")
    return found


def java_major(java: str) -> int:
    try:
        out = subprocess.run([java, "-XshowSettings:properties", "-version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Fail(f"cannot run {java}: {e}") from None
    m = re.search(r"java\.specification\.version = (\d+)", out)
    if not m:
        raise Fail(f"cannot tell the Java version of {java}")
    return int(m.group(1))


def check_java(java: str) -> None:
    major = java_major(java)
    if major < 17:
        raise Fail(f"{java} is Java {major}; Neo4j 5 needs Java 17 or 21 (set ALLIANCE_NEO4J_JAVA)")
    if major not in (17, 21):
        print(f"warning: {java} is Java {major}; Neo4j 5.26 supports Java 17 and 21", file=sys.stderr)


# --------------------------------------------------------------------------- process


def read_pid(p: Paths) -> int | None:
    try:
        return int(p.pid.read_text().strip())
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child that has exited
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        with contextlib.suppress(OSError, IndexError):
            if stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return False
    return True


def is_ours(p: Paths, pid: int) -> bool:
    if not alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.exists():  # no procfs: trust the pid file
        return True
    try:
        args = cmdline.read_bytes().split(b"\0")
    except OSError:
        return False
    return MAIN_CLASS.encode() in args and f"--home-dir={p.home}".encode() in args


def running_pid(p: Paths) -> int | None:
    pid = read_pid(p)
    if pid is not None and is_ours(p, pid):
        return pid
    return None


def read_state(p: Paths) -> dict:
    try:
        return json.loads(p.state.read_text())
    except (OSError, ValueError):
        return {}


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def bolt_handshake(port: int, timeout: float = 2.0) -> str | None:
    """Return the Bolt version the server agreed to, or None if it does not answer.

    Tries plain Bolt, then Bolt over TLS (a server started with server.bolt.tls_level=REQUIRED
    answers only that). The TLS probe checks readiness only, so it accepts any certificate.
    """
    return _bolt_handshake(port, timeout, tls=False) or _bolt_handshake(port, timeout, tls=True)


def _bolt_handshake(port: int, timeout: float, tls: bool) -> str | None:
    magic = bytes.fromhex("6060b017")
    # proposals: 5.8 down to 5.0 (range 8), 4.4, none, none
    proposals = bytes([0, 8, 8, 5]) + bytes([0, 0, 4, 4]) + bytes(8)
    try:
        with contextlib.ExitStack() as stack:
            s = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=timeout))
            if tls:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                s = stack.enter_context(context.wrap_socket(s, server_hostname="127.0.0.1"))
            s.settimeout(timeout)
            s.sendall(magic + proposals)
            reply = b""
            while len(reply) < 4:
                chunk = s.recv(4 - len(reply))
                if not chunk:
                    return None
                reply += chunk
    except OSError:
        return None
    if reply == bytes(4):
        return None
    return f"{reply[3]}.{reply[2]}"


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes] | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (OSError, ValueError):
        return None


def http_ready(port: int) -> bool:
    res = http_get(f"http://127.0.0.1:{port}/")
    if not res or res[0] != 200:
        return False
    try:
        return "bolt_direct" in json.loads(res[1])
    except ValueError:
        return False


def cypher_http(port: int, password: str, database: str, statement: str, params: dict) -> list[str]:
    """Run one statement via the HTTP API; return the error messages (empty on success)."""
    body = json.dumps({"statements": [{"statement": statement, "parameters": params}]}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/db/{database}/tx/commit", data=body, method="POST")
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    token = base64.b64encode(f"{USER}:{password}".encode()).decode()
    req.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            payload = json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return [f"HTTP {e.code}"]
    except (OSError, ValueError) as e:
        return [str(e)]
    return [err.get("message", str(err)) for err in payload.get("errors", [])]


# --------------------------------------------------------------------------- config


def write_conf(p: Paths, bolt: int, http: int, extra: list[str]) -> None:
    heap = os.environ.get("ALLIANCE_NEO4J_HEAP", "1g")
    pagecache = os.environ.get("ALLIANCE_NEO4J_PAGECACHE", "256m")
    lines = [
        "# Generated by neo4j_local.py on every start; edits are overwritten.",
        "# Pass extra settings with: neo4j_local.py start --set KEY=VALUE",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address=127.0.0.1:{bolt}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt}",
        "server.http.enabled=true",
        f"server.http.listen_address=127.0.0.1:{http}",
        f"server.http.advertised_address=127.0.0.1:{http}",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        # no phoning home: no usage report from the server, no telemetry from the Browser
        "dbms.usage_report.enabled=false",
        "client.allow_telemetry=false",
        # Browser's :style and :play fetch from the explorer API on 127.0.0.1; the default
        # allowlist has only guides.neo4j.com and localhost.
        "browser.remote_content_hostname_whitelist=guides.neo4j.com,localhost,127.0.0.1",
        "server.directories.import=import",
        f"server.memory.heap.max_size={heap}",
        f"server.memory.pagecache.size={pagecache}",
        # transaction logs: no 256 MiB preallocation per database, bounded retention
        "db.tx_log.preallocate=false",
        "db.tx_log.rotation.size=64M",
        "db.tx_log.rotation.retention_policy=128M size",
        # Netty's graceful-shutdown quiet period (5 s per event loop group by
        # default) would make every stop take 10 s.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
    ]
    for item in extra:
        if "=" not in item:
            raise Fail(f"--set expects KEY=VALUE, got {item!r}")
        lines.append(item.strip())
    for d in ("conf", "data", "logs", "plugins", "import", "run"):
        (p.home / d).mkdir(parents=True, exist_ok=True)
    p.conf.write_text("\n".join(lines) + "\n")


def neo4j_env(p: Paths) -> dict:
    env = dict(os.environ)
    env["NEO4J_HOME"] = str(p.home)
    env["NEO4J_CONF"] = str(p.conf_dir)
    return env


def set_initial_password(p: Paths, java: str, cp: list[str], password: str) -> None:
    cmd = [java, "-Xmx256m", "-cp", os.pathsep.join(cp), ADMIN_CLASS,
           "dbms", "set-initial-password", password]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env=neo4j_env(p), cwd=str(p.home))
    if proc.returncode != 0:
        lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
        last = lines[-1] if lines else f"exit {proc.returncode}"
        raise Fail(f"neo4j-admin dbms set-initial-password failed: {last}", proc.stdout)
    write_password(p, password)


def write_password(p: Paths, password: str) -> None:
    fd = os.open(p.password, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(password)


def sync_password(p: Paths, http: int, password: str) -> None:
    """The database already exists: change the password if NEO4J_PASSWORD changed."""
    try:
        old = p.password.read_text()
    except OSError:
        old = None
    if old == password:
        return
    if not cypher_http(http, password, "system", "SHOW CURRENT USER", {}):
        write_password(p, password)  # already the requested one
        return
    why = "the password in use is unknown (changed elsewhere, e.g. in Browser)"
    if old is not None:
        errors = cypher_http(http, old, "system", "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                             {"old": old, "new": password})
        if not errors:
            write_password(p, password)
            print("password of user neo4j changed to the one from NEO4J_PASSWORD")
            return
        why = errors[0]
    raise Fail(f"neo4j is running, but the password of user neo4j could not be set to NEO4J_PASSWORD: {why} "
               f"(to start afresh: neo4j_local.py stop && rm -rf {p.data})")


# --------------------------------------------------------------------------- commands


def status(p: Paths, args) -> int:
    pid = running_pid(p)
    if pid is None:
        print(f"not running (bolt port {args.bolt_port}, http port {args.http_port}; cache {p.root})")
        return EXIT_NOT_RUNNING
    st = read_state(p)
    bolt = st.get("bolt_port", args.bolt_port)
    http = st.get("http_port", args.http_port)
    ver = bolt_handshake(bolt)
    answer = f"bolt {ver} answering" if ver else "bolt NOT answering (starting or stuck?)"
    print(f"running pid {pid}: bolt://127.0.0.1:{bolt} http://127.0.0.1:{http}/browser/ ({answer}); "
          f"neo4j {st.get('neo4j_version', '?')}, log {p.log}")
    return 0


def start(p: Paths, args) -> int:
    password = os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD
    bolt, http = args.bolt_port, args.http_port
    pid = running_pid(p)
    if pid is not None:
        st = read_state(p)
        if (st.get("bolt_port"), st.get("http_port")) not in ((bolt, http), (None, None)):
            raise Fail(f"already running (pid {pid}) on bolt {st.get('bolt_port')} / http {st.get('http_port')}; "
                       "stop it first to use other ports")
        if bolt_handshake(bolt) and http_ready(http):
            print(f"already running (pid {pid}): bolt://127.0.0.1:{bolt} http://127.0.0.1:{http}/browser/")
            return 0
        # still starting (another `start` is waiting, or was interrupted): wait too
        return wait_ready(p, pid, bolt, http, password, args.timeout, time.monotonic(), adopt=True)

    for port, name in ((bolt, "bolt"), (http, "http")):
        if port_in_use(port):
            raise Fail(f"{name} port {port} on 127.0.0.1 is already in use by another process")

    if not fetched(p):
        fetch(p)
    cp = read_classpath(p)
    assert cp is not None
    java = java_bin()
    check_java(java)
    write_conf(p, bolt, http, args.set or [])
    if not p.system_db.exists():
        # First start of this data directory: neo4j reads data/dbms/auth.ini once, when it
        # creates the system database.
        set_initial_password(p, java, cp, password)

    heap = os.environ.get("ALLIANCE_NEO4J_HEAP", "1g")
    cmd = [java, f"-Xmx{heap}", *JVM_FLAGS, "-cp", os.pathsep.join(cp), MAIN_CLASS,
           f"--home-dir={p.home}", f"--config-dir={p.conf_dir}", "--console-mode"]
    t0 = time.monotonic()
    with open(p.log, "wb") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=neo4j_env(p), cwd=str(p.home), start_new_session=True, close_fds=True)
    p.pid.write_text(f"{proc.pid}\n")
    p.state.write_text(json.dumps({"pid": proc.pid, "bolt_port": bolt, "http_port": http,
                                   "neo4j_version": pom_versions()["neo4j.version"],
                                   "started": time.time()}) + "\n")
    return wait_ready(p, proc.pid, bolt, http, password, args.timeout, t0)


def wait_ready(p: Paths, pid: int, bolt: int, http: int, password: str, timeout: float, t0: float,
               adopt: bool = False) -> int:
    deadline = t0 + timeout
    bolt_ver = None
    while True:
        if not alive(pid):
            cleanup_files(p)
            raise Fail(f"neo4j exited during start-up; see {p.log}", "--- log tail ---\n" + tail(p.log))
        if bolt_ver is None:
            bolt_ver = bolt_handshake(bolt)
        if bolt_ver and http_ready(http):
            break
        if time.monotonic() > deadline:
            if not adopt:
                terminate(p, pid, 30)
            raise Fail(f"neo4j did not answer on bolt {bolt} and http {http} within {timeout:.0f} s; see {p.log}",
                       "--- log tail ---\n" + tail(p.log))
        time.sleep(0.25)
    elapsed = time.monotonic() - t0
    sync_password(p, http, password)
    print(f"neo4j ready in {elapsed:.1f} s (pid {pid}, bolt {bolt_ver}): bolt://127.0.0.1:{bolt} "
          f"neo4j://127.0.0.1:{bolt} http://127.0.0.1:{http}/browser/ user {USER}")
    return 0


def cleanup_files(p: Paths) -> None:
    for f in (p.pid, p.state):
        with contextlib.suppress(OSError):
            f.unlink()


def terminate(p: Paths, pid: int, timeout: float) -> str:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    how = "stopped"
    if alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        how = "killed (no clean shutdown within %.0f s)" % timeout
    cleanup_files(p)
    return how


def free_ports(count: int = 2) -> list[int]:
    """``count`` distinct loopback ports nothing listens on now, chosen by the kernel (held open
    together, so they differ); a server started on them right after gets them."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) for _ in range(count)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]


def stop(p: Paths, args) -> int:
    pid = running_pid(p)
    if pid is None:
        cleanup_files(p)
        print("not running")
        return 0
    t0 = time.monotonic()
    how = terminate(p, pid, args.timeout)
    print(f"neo4j {how} (pid {pid}) in {time.monotonic() - t0:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    def env_port(name: str, default: int) -> int:
        raw = os.environ.get(name)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            raise SystemExit(f"error: {name}={raw!r} is not a port number") from None

    def port_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
        # accepted before and after the subcommand; the subcommand's copy only
        # overrides when given (SUPPRESS), so the env defaults live on the main parser
        parser.add_argument("--bolt-port", type=int,
                            default=env_port("NEO4J_BOLT_PORT", 7687) if defaults else argparse.SUPPRESS,
                            help="Bolt port on 127.0.0.1 (env NEO4J_BOLT_PORT, default 7687)")
        parser.add_argument("--http-port", type=int,
                            default=env_port("NEO4J_HTTP_PORT", 7474) if defaults else argparse.SUPPRESS,
                            help="HTTP port on 127.0.0.1 (env NEO4J_HTTP_PORT, default 7474)")

    ap = argparse.ArgumentParser(prog="neo4j_local.py", description=__doc__.splitlines()[0])
    port_options(ap, True)
    sub = ap.add_subparsers(dest="command", required=True)
    sf = sub.add_parser("fetch", help="download the jars with mvn (no-op when up to date)")
    sp = sub.add_parser("start", help="start in the background and wait until ready")
    sp.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for readiness (default 180)")
    sp.add_argument("--set", action="append", metavar="KEY=VALUE", help="extra neo4j.conf setting (repeatable)")
    so = sub.add_parser("stop", help="stop cleanly (SIGTERM, then SIGKILL after --timeout)")
    so.add_argument("--timeout", type=float, default=60.0, help="seconds before SIGKILL (default 60)")
    sr = sub.add_parser("restart", help="stop, then start")
    sr.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for readiness (default 180)")
    sr.add_argument("--set", action="append", metavar="KEY=VALUE", help="extra neo4j.conf setting (repeatable)")
    ss = sub.add_parser("status", help="exit 0 when running, 3 when not")
    for parser in (sf, sp, so, sr, ss):
        port_options(parser, False)
    sub.add_parser("free-ports", help='print two free loopback ports, "BOLT HTTP"')
    args = ap.parse_args(argv)
    if args.command == "free-ports":
        print(*free_ports(2))
        return 0

    p = Paths(cache_root())
    try:
        if args.command == "status":
            return status(p, args)
        with locked(p):
            if args.command == "fetch":
                fetch(p)
                return 0
            if args.command == "start":
                return start(p, args)
            if args.command == "stop":
                return stop(p, args)
            if args.command == "restart":
                stop(p, argparse.Namespace(timeout=60.0))
                return start(p, args)
    except Fail as e:
        print(f"error: {e}", file=sys.stderr)
        if e.detail and os.environ.get("NEO4J_LOCAL_QUIET") != "1":
            print(e.detail, file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
