"""Dispatch parsing: bytes in, frozen dataclasses out. No database, no Telegram.

parse_document(data, filename) -> ParsedDispatch
parse_text(text) -> ParsedDispatch
to_schema(dispatch, doc_name) -> dict  (the SCHEMA.md JSON shape)
"""

from __future__ import annotations

import datetime

from ingest.dispatch import parse_blocks, parse_text
from ingest.errors import IngestError
from ingest.model import Due, ParsedDispatch, ParsedTask, Signer
from ingest.readers import read_blocks
from ingest.schema import to_schema

__all__ = [
    "Due",
    "IngestError",
    "ParsedDispatch",
    "ParsedTask",
    "Signer",
    "parse_document",
    "parse_text",
    "to_schema",
]

MAX_BYTES = 20 * 1024 * 1024


def parse_document(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    received_on: datetime.date | None = None,
) -> ParsedDispatch:
    """Parse an uploaded file (.txt/.md, .docx, .pdf, scanned PDF or image via OCR, .doc).

    ``received_on`` (optional) dates year-less deadlines when the text has no issue date.
    """
    if len(data) > max_bytes:
        raise IngestError("too_large", limit_bytes=max_bytes, size_bytes=len(data))
    if not data.strip():
        raise IngestError("empty")
    return parse_blocks(read_blocks(data, filename), received_on=received_on)
