"""Helpers shared by the browser tests."""

import time

import pyotp


def totp_now(secret):
    """A TOTP code with at least five seconds of its 30-second window left,
    so it is still valid when the server checks it (no tolerance is allowed:
    a wider window would let a used code be replayed)."""
    remaining = 30 - time.time() % 30
    if remaining < 5:
        time.sleep(remaining + 0.5)
    return pyotp.TOTP(secret).now()
