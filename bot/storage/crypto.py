"""At-rest encryption of free text about families (Fernet, keys from BOT_DATA_KEY).

BOT_DATA_KEY holds one or more comma-separated Fernet keys: the first encrypts, all decrypt,
so a key is rotated by putting the new one first and running ``python -m bot db rotate-key``.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import MetaData, Text, select, type_coerce, update
from sqlalchemy.types import TypeDecorator


class KeyError_(ValueError):
    """BOT_DATA_KEY is missing or not a Fernet key."""


def parse_keys(value: str) -> MultiFernet:
    keys = [k.strip() for k in value.split(",") if k.strip()]
    if not keys:
        raise KeyError_("BOT_DATA_KEY is empty")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise KeyError_(
            "BOT_DATA_KEY must be comma-separated Fernet keys (32 url-safe base64 bytes); "
            "make one with: python -m bot db new-key"
        ) from exc


def new_key() -> str:
    return Fernet.generate_key().decode()


class _Keyring:
    """The process's keys; set once at start by ``use_keys`` (the app factory, the CLI)."""

    fernet: MultiFernet | None = None


keyring = _Keyring()


def use_keys(value: str) -> None:
    keyring.fernet = parse_keys(value)


def _fernet() -> MultiFernet:
    if keyring.fernet is None:
        raise RuntimeError("no data key configured: call bot.storage.crypto.use_keys first")
    return keyring.fernet


def encrypt_text(plain: str) -> str:
    return _fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise RuntimeError("stored data cannot be decrypted with BOT_DATA_KEY") from exc


def rotate_token(token: str) -> str:
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedText(TypeDecorator):
    """A text column stored as a Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        return None if value is None else encrypt_text(value)

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else decrypt_text(value)


class EncryptedJSON(TypeDecorator):
    """A JSON value stored as a Fernet token (dialog data, outgoing messages, raw events)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> str | None:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def process_result_value(self, value: str | None, dialect) -> Any:
        return None if value is None else json.loads(decrypt_text(value))


def rotate_all(engine, metadata: MetaData) -> int:
    """Re-encrypt every encrypted column of ``metadata``'s tables with the first key (pass
    ``bot.models.metadata``, which knows every feature's tables); return how many changed."""
    changed = 0
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            secret = [c for c in table.columns if isinstance(c.type, EncryptedText | EncryptedJSON)]
            if not secret:
                continue
            pk = list(table.primary_key.columns)
            raw = [type_coerce(c, Text).label(c.name) for c in secret]
            for row in conn.execute(select(*pk, *raw)).mappings():
                values = {c.name: rotate_token(row[c.name]) for c in secret if row[c.name]}
                if values:
                    where = [col == row[col.name] for col in pk]
                    conn.execute(
                        update(table)
                        .where(*where)
                        .values({table.c[k]: type_coerce(v, Text) for k, v in values.items()})
                    )
                    changed += len(values)
    return changed
