"""RS256 JSON Web Tokens in plain Python, for the fake OpenID provider (no crypto package here)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

# DER prefix of a SHA-256 DigestInfo (RFC 8017, EMSA-PKCS1-v1_5).
SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
E = 65537


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _probably_prime(n: int, rounds: int = 40) -> bool:
    if n % 2 == 0 or any(n % p == 0 for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)):
        return False
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        x = pow(secrets.randbelow(n - 3) + 2, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int) -> int:
    while True:
        candidate = secrets.randbits(bits) | (1 << (bits - 1)) | (1 << (bits - 2)) | 1
        if (candidate - 1) % E and _probably_prime(candidate):
            return candidate


@dataclass(frozen=True)
class RsaKey:
    kid: str
    n: int
    d: int

    @classmethod
    def generate(cls, bits: int = 2048) -> RsaKey:
        p, q = _prime(bits // 2), _prime(bits // 2)
        return cls(kid=secrets.token_hex(8), n=p * q, d=pow(E, -1, (p - 1) * (q - 1)))

    def jwk(self) -> dict[str, str]:
        return {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid,
            "n": _uint(self.n),
            "e": _uint(E),
        }

    def sign(self, claims: dict[str, Any]) -> str:
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = (
            f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
        )
        size = (self.n.bit_length() + 7) // 8
        digest = SHA256_PREFIX + hashlib.sha256(signing_input.encode()).digest()
        block = b"\x00\x01" + b"\xff" * (size - len(digest) - 3) + b"\x00" + digest
        signature = pow(int.from_bytes(block, "big"), self.d, self.n).to_bytes(size, "big")
        return f"{signing_input}.{b64url(signature)}"
