"""Telegram's text formatting; the one implementation is ``nhacviec.botapi.entities``."""

from nhacviec.botapi.entities import EntityParseError, detect_entities, parse_text, utf16_len

__all__ = ["EntityParseError", "detect_entities", "parse_text", "utf16_len"]
