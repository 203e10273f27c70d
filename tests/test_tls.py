"""The explorer over Bolt with TLS, as far as a local server allows: a Neo4j of its own (neo4j_local,
in a temporary home, on free ports) with a freshly generated self-signed certificate and
``server.bolt.tls_level=REQUIRED``.

``bolt+ssc://`` and ``neo4j+ssc://`` (encrypted, any certificate) connect; ``bolt+s://`` and
``neo4j+s://`` (verified against the system CAs, as for Aura) refuse the self-signed certificate;
plain ``bolt://`` is refused by the server; and ``NEO4J_TRUSTED_CA`` naming the certificate makes a
``bolt://``/``neo4j://`` URI encrypted *and* verified. The server reuses the jars the suite's own
Neo4j was started from (neo4j_local's cache), so it costs a start-up, not a download.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.errors import StoreUnavailable
from app.store.neo4j_store import Neo4jStore

REPO = Path(__file__).resolve().parent.parent
NEO4J_LOCAL = REPO / "neo4j_local" / "neo4j_local.py"
PASSWORD = "tls-test-password"
# The store's words for a certificate the driver could not verify (with the remedy), and the driver's.
UNVERIFIED = r"certificate is not trusted.*NEO4J_TRUSTED_CA.*(SSLCertVerificationError|CERTIFICATE_VERIFY_FAILED)"


def refused(call: Any, pattern: str) -> None:
    """``call`` fails with StoreUnavailable whose words (the message, and the driver's reason kept
    apart in ``detail``) match ``pattern``."""
    with pytest.raises(StoreUnavailable) as info:
        call()
    said = f"{info.value.message} {info.value.detail or ''}"
    assert re.search(pattern, said), said


def _neo4j_local() -> Any:
    spec = importlib.util.spec_from_file_location("neo4j_local_module", NEO4J_LOCAL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def self_signed(directory: Path) -> Path:
    """A private key and a self-signed certificate for localhost / 127.0.0.1, as Neo4j's SSL policy reads them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    for sub in ("trusted", "revoked"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    pem = serialization.PrivateFormat.PKCS8
    (directory / "private.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, pem, serialization.NoEncryption())
    )
    (directory / "public.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return directory / "public.crt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """(bolt port, certificate) of a Neo4j that speaks Bolt over TLS only."""
    root = tmp_path_factory.mktemp("neo4j-tls")
    local = _neo4j_local()
    shared = local.Paths(local.cache_root())
    if local.fetched(shared):  # the jars of the suite's Neo4j: the classpath names them by absolute path
        shutil.copy(shared.classpath, root / "classpath.txt")
        shutil.copy(shared.stamp, root / "fetch.stamp")
    cert = self_signed(root / "certificates" / "bolt")
    bolt, http = free_port(), free_port()
    settings = {
        "dbms.ssl.policy.bolt.enabled": "true",
        "dbms.ssl.policy.bolt.base_directory": str(cert.parent),
        "dbms.ssl.policy.bolt.private_key": "private.key",
        "dbms.ssl.policy.bolt.public_certificate": "public.crt",
        "dbms.ssl.policy.bolt.client_auth": "NONE",
        "server.bolt.tls_level": "REQUIRED",
    }
    env = {
        **os.environ,
        "ALLIANCE_NEO4J_HOME": str(root),
        "NEO4J_PASSWORD": PASSWORD,
        "ALLIANCE_NEO4J_PAGECACHE": "32m",
        "NEO4J_LOCAL_QUIET": "0",
    }
    ports = ["--bolt-port", str(bolt), "--http-port", str(http)]
    start = [sys.executable, str(NEO4J_LOCAL), *ports, "start", "--timeout", "240"]
    for key, value in settings.items():
        start += ["--set", f"{key}={value}"]
    started = subprocess.run(start, env=env, capture_output=True, text=True, timeout=600)
    try:
        if started.returncode != 0:
            pytest.fail(f"the TLS Neo4j did not start: {started.stdout[-1500:]}{started.stderr[-1500:]}", pytrace=False)
        # The first queries of a fresh server plan cold; give them time once, here.
        warm = store_on(f"bolt+ssc://127.0.0.1:{bolt}", timeout=120.0)
        try:
            warm.health()
        finally:
            warm.close()
        yield bolt, cert
    finally:
        subprocess.run([sys.executable, str(NEO4J_LOCAL), *ports, "stop"], env=env, capture_output=True, timeout=120)


def store_on(uri: str, trusted_ca: Path | None = None, timeout: float = 15.0) -> Neo4jStore:
    return Neo4jStore.from_settings(
        Settings(
            neo4j_uri=uri,
            neo4j_user="neo4j",
            neo4j_password=PASSWORD,
            neo4j_timeout_seconds=timeout,
            neo4j_trusted_ca=trusted_ca,
        )
    )


def answers(uri: str, trusted_ca: Path | None = None, timeout: float = 15.0) -> dict[str, Any]:
    store = store_on(uri, trusted_ca, timeout)
    try:
        return store.health()
    finally:
        store.close()


@pytest.mark.parametrize("scheme", ["bolt+ssc", "neo4j+ssc"])
def test_self_signed_schemes_connect_over_tls(tls_server: tuple[int, Path], scheme: str) -> None:
    port, _ = tls_server
    health = answers(f"{scheme}://127.0.0.1:{port}")
    assert (health["backend"], health["state"], health["loaded"]) == ("neo4j", "ok", False)


@pytest.mark.parametrize("scheme", ["bolt+s", "neo4j+s"])
def test_verifying_schemes_refuse_a_self_signed_certificate(tls_server: tuple[int, Path], scheme: str) -> None:
    port, _ = tls_server
    refused(lambda: answers(f"{scheme}://127.0.0.1:{port}", timeout=6.0), UNVERIFIED)


def test_plain_bolt_is_refused_when_tls_is_required(tls_server: tuple[int, Path]) -> None:
    port, _ = tls_server
    refused(lambda: answers(f"bolt://127.0.0.1:{port}", timeout=6.0), "cannot be reached|is unavailable")


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_trusted_ca_verifies_the_server(tls_server: tuple[int, Path], scheme: str, tmp_path: Path) -> None:
    """NEO4J_TRUSTED_CA: encrypted and verified against the given CA; another CA is refused."""
    port, cert = tls_server
    assert answers(f"{scheme}://127.0.0.1:{port}", trusted_ca=cert)["state"] == "ok"
    other = self_signed(tmp_path / "other")
    refused(lambda: answers(f"{scheme}://127.0.0.1:{port}", trusted_ca=other, timeout=6.0), UNVERIFIED)


def test_a_trusted_ca_with_a_tls_scheme_is_a_clear_error(tls_server: tuple[int, Path]) -> None:
    port, cert = tls_server
    refused(lambda: store_on(f"neo4j+s://127.0.0.1:{port}", trusted_ca=cert), "NEO4J_TRUSTED_CA needs a .* URI")


def test_the_load_command_over_tls(tls_server: tuple[int, Path]) -> None:
    """`alliances load` and the API's store, both on neo4j+ssc://, credentials from the environment only."""
    port, _ = tls_server
    uri = f"neo4j+ssc://127.0.0.1:{port}"
    env = {**os.environ, "NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": PASSWORD}
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "load", "--prune"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    store = store_on(uri)
    try:
        assert store.health()["loaded"] is True
        assert store.organ("nato.nac").name == "North Atlantic Council"
    finally:
        store.close()
