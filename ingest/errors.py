"""The one exception the parser raises for bad input."""

from __future__ import annotations

from typing import Any

# Codes the presentation layer (bot/texts) turns into Vietnamese messages.
ERROR_CODES = (
    "empty",
    "binary",
    "too_large",
    "no_text_layer",
    "ocr_unreadable",
    "legacy_doc",
    "corrupt",
    "no_tasks",
    "not_dispatch",
    "unsupported",
)


class IngestError(Exception):
    """Input the parser cannot turn into a dispatch.

    ``code`` is a stable ASCII identifier and ``params`` carry values for the message
    (e.g. ``limit_bytes``); the human-readable Vietnamese text lives in bot/texts so
    that this package never speaks to a person directly.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = params

    def __repr__(self) -> str:
        return f"IngestError({self.code!r}, **{self.params!r})"
