"""Throwaway credentials for a loopback control plane: a CA, the API server's certificate,
the service-account signing key and an admin token, made with openssl in the cluster's folder."""

from __future__ import annotations

import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from local_cluster.errors import ClusterError
from stack_settings.model import LOOPBACK


@dataclass(frozen=True)
class ClusterPki:
    ca_cert: Path
    server_cert: Path
    server_key: Path
    service_account_key: Path
    service_account_pub: Path
    token_file: Path
    admin_token: str


def _openssl(*args: str) -> None:
    result = subprocess.run(["openssl", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClusterError(f"openssl {args[0]} failed: {result.stderr.strip()[:300]}")


def make_pki(folder: Path, *addresses: str) -> ClusterPki:
    """Fresh keys every start: the cluster is ephemeral, so nothing is worth keeping.
    addresses: the IP addresses the API server is reached at besides loopback."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    ca_key, ca_cert = folder / "ca.key", folder / "ca.crt"
    key, csr, cert = folder / "apiserver.key", folder / "apiserver.csr", folder / "apiserver.crt"
    sa_key, sa_pub = folder / "sa.key", folder / "sa.pub"
    days = "7"
    _openssl("genrsa", "-out", str(ca_key), "2048")
    _openssl(
        "req", "-x509", "-new", "-key", str(ca_key), "-subj", "/CN=kratos-auth-local-ca",
        "-days", days, "-out", str(ca_cert),
    )  # fmt: skip
    _openssl("genrsa", "-out", str(key), "2048")
    _openssl("req", "-new", "-key", str(key), "-subj", "/CN=kube-apiserver", "-out", str(csr))
    extensions = folder / "apiserver.ext"
    # The names clients use: loopback for us, the given ones (a real-pods cluster's bridge
    # address, the `kubernetes` Service's ClusterIP that pods dial), the in-cluster names.
    ips = ",".join(f"IP:{address}" for address in dict.fromkeys([LOOPBACK, *addresses]))
    extensions.write_text(
        f"subjectAltName={ips},DNS:localhost,DNS:kubernetes,"
        "DNS:kubernetes.default,DNS:kubernetes.default.svc\n"
        "extendedKeyUsage=serverAuth\n"
    )
    _openssl(
        "x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key),
        "-CAcreateserial", "-days", days, "-extfile", str(extensions), "-out", str(cert),
    )  # fmt: skip
    _openssl("genrsa", "-out", str(sa_key), "2048")
    _openssl("rsa", "-in", str(sa_key), "-pubout", "-out", str(sa_pub))
    token = secrets.token_urlsafe(32)
    token_file = folder / "tokens.csv"
    token_file.write_text(f'{token},kratos-auth-admin,admin,"system:masters"\n')
    for path in folder.iterdir():
        path.chmod(0o600)
    return ClusterPki(ca_cert, cert, key, sa_key, sa_pub, token_file, token)
