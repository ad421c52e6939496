"""Received files, kept under DATA_DIR by content hash."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class StoredFile:
    relative_path: str
    sha256: str


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_file(data_dir: Path, folder: str, file_name: str, data: bytes) -> StoredFile:
    """Write ``data`` once per content: the same file sent twice is stored once."""
    digest = sha256_of(data)
    suffix = Path(file_name).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ".bin"
    relative = Path(folder) / digest[:2] / f"{digest}{suffix}"
    target = data_dir / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a crash never leaves a half-written file under the final name.
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(target)
    return StoredFile(relative.as_posix(), digest)


def read_stored(data_dir: Path, relative_path: str) -> bytes:
    return (data_dir / relative_path).read_bytes()
