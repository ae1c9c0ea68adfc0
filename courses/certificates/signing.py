"""Ed25519 signatures over certificates' public facts (docs/certificates.md).

The server signs each certificate's canonical payload when it is issued.
The verification page checks the signature as well as the database row, and
the public key is published at /.well-known/knowhow-certificates.json so
anyone can check a certificate offline.
"""

import base64
import hashlib
import json
import secrets
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT_VERSION = 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=4)
def _private_key(seed: str) -> Ed25519PrivateKey:
    try:
        raw = _unb64(seed)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY is not valid base64.") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY must be 32 bytes, base64-encoded.")
    return Ed25519PrivateKey.from_private_bytes(raw)


def private_key() -> Ed25519PrivateKey:
    return _private_key(settings.CERTIFICATE_SIGNING_KEY)


def public_key_raw() -> bytes:
    return private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id() -> str:
    """A short, stable name for the current key: the start of its hash."""
    return _b64(hashlib.sha256(public_key_raw()).digest()[:9])


def holder_digest(*, code: str, holder_name: str) -> str:
    """Binds the holder's name into the signature without publishing it:
    someone who knows the name and the code can recompute it."""
    return hashlib.sha256(f"{code}\n{holder_name}".encode()).hexdigest()


def canonical_payload(certificate) -> bytes:
    """The signed facts, as compact JSON with sorted keys (UTF-8)."""
    data = {
        "v": FORMAT_VERSION,
        "code": certificate.code,
        "course": certificate.course_title,
        "level": certificate.course_level,
        "hours": str(certificate.hours),
        "issued": certificate.issued_at.date().isoformat(),
        "expires": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "holder": holder_digest(code=certificate.code, holder_name=certificate.holder_name),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(certificate) -> str:
    return _b64(private_key().sign(canonical_payload(certificate)))


def verify(certificate) -> bool:
    """Does the stored signature match the row as it is now, under our key?"""
    try:
        Ed25519PublicKey.from_public_bytes(public_key_raw()).verify(
            _unb64(certificate.signature), canonical_payload(certificate)
        )
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def new_signing_key() -> str:
    """A new random CERTIFICATE_SIGNING_KEY: 32 bytes, base64 (manage.py certificate_key)."""
    return _b64(secrets.token_bytes(32))


def published_keys() -> dict:
    return {
        "issuer": "Knowhow",
        "format": f"knowhow-certificate-v{FORMAT_VERSION}",
        "keys": [{"kid": key_id(), "alg": "Ed25519", "public_key": _b64(public_key_raw())}],
    }
