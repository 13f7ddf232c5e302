"""Password hashing: argon2id (argon2-cffi), with parameters that cost a few tens of milliseconds.

Not bcrypt: it silently truncates at 72 bytes, and a Vietnamese passphrase with diacritics
(2–3 bytes a letter in UTF-8) reaches that. Parameters: OWASP's argon2id minimum (19 MiB, 2 passes,
1 lane); a stored hash carries its own parameters, so raising them later re-hashes on next login.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from etl.errors import AccountError

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_LENGTH = 10


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked when no such user exists, so that a wrong user name costs as long as a wrong password."""
    return HASHER.hash("mật khẩu giả để tốn thời gian như thật")


def _normal(password: str) -> str:
    """The same passphrase typed on Windows (NFC) and macOS (NFD) is the same password."""
    return unicodedata.normalize("NFC", password)


def check_strength(password: str) -> None:
    """Raise ``AccountError`` (Vietnamese) when a new password is too weak to set."""
    if len(_normal(password)) < MIN_LENGTH:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    if len(set(password)) < 4:
        raise AccountError("Mật khẩu quá đơn giản: hãy dùng một câu dài hoặc nhiều loại ký tự.")


def hash_password(password: str) -> str:
    return HASHER.hash(_normal(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (a missing hash costs the same time, and fails)."""
    try:
        return HASHER.verify(stored_hash or _dummy_hash(), _normal(password)) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)
