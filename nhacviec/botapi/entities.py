"""Telegram text formatting as the Bot API applies it: parse modes, entities and lengths.

``parse_text(text, parse_mode)`` turns what a bot sends into what Telegram stores: the plain
text plus a list of MessageEntity dicts (offsets and lengths in UTF-16 code units), or raises
``EntityParseError`` with Telegram's wording ("can't parse entities: ..."). ``detect_entities``
adds the entities Telegram finds on its own (bot commands, mentions, hashtags, URLs).

Coverage: HTML is parsed strictly (supported tags only, balanced, byte offsets in errors, the
four named entities plus numeric ones). MarkdownV2 checks reserved characters and the usual
delimiters; legacy Markdown handles ``*`` ``_`` `````` ``[text](url)``. Nothing here imports
``telegram``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "EntityParseError",
    "detect_entities",
    "parse_text",
    "utf16_len",
]

Entity = dict[str, Any]


class EntityParseError(ValueError):
    """The text does not parse in the requested parse mode; str(error) is Telegram's detail."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Return (plain_text, entities) for ``text`` sent with ``parse_mode``."""
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown_v2(text)
    if mode == "markdown":
        return _parse_markdown(text)
    if mode:
        raise EntityParseError(f'Unsupported parse_mode "{parse_mode}"')
    return text, []


def _sorted(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


# --- HTML ---------------------------------------------------------------------------------------

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_SUPPORTED_TAGS = {*_SIMPLE_TAGS, "a", "span", "tg-emoji"}
_TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*(/?)>"
)
_ATTR_RE = re.compile(r"([^\s=>/]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_HTML_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def _html_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR_RE.finditer(raw):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attrs[match.group(1).lower()] = _unescape_html(value)
    return attrs


def _unescape_html(value: str) -> str:
    return _HTML_ENTITY_RE.sub(lambda m: _entity_char(m.group(1)), value)


def _entity_char(name: str) -> str:
    if name.startswith(("#x", "#X")):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED[name]


def _parse_html(text: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    position = 0  # UTF-16 offset in the output
    stack: list[tuple[str, int, dict[str, str], Entity | None]] = []
    entities: list[Entity] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "&":
            match = _HTML_ENTITY_RE.match(text, index)
            if match:
                decoded = _entity_char(match.group(1))
                out.append(decoded)
                position += utf16_len(decoded)
                index = match.end()
                continue
        if char == "<":
            match = _TAG_RE.match(text, index)
            offset = _byte_offset(text, index)
            if match is None:
                if text.startswith("</", index):
                    raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
                raise EntityParseError(f'Unsupported start tag "" at byte offset {offset}')
            closing, name, raw_attrs, _self_closing = match.groups()
            name = name.lower()
            if closing:
                if not stack:
                    raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
                open_name, start, attrs, pending = stack.pop()
                if open_name != name:
                    raise EntityParseError(
                        f'Unmatched end tag at byte offset {offset}, expected "</{open_name}>", '
                        f'found "</{name}>"'
                    )
                _close_html_entity(open_name, start, position, attrs, pending, stack, entities)
            else:
                if name not in _SUPPORTED_TAGS:
                    raise EntityParseError(
                        f'Unsupported start tag "{name}" at byte offset {offset}'
                    )
                attrs = _html_attrs(raw_attrs)
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise EntityParseError(
                        f'Tag "span" must have class "tg-spoiler" at byte offset {offset}'
                    )
                stack.append((name, position, attrs, None))
            index = match.end()
            continue
        out.append(char)
        position += utf16_len(char)
        index += 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return "".join(out), _sorted(entities)


def _close_html_entity(
    name: str,
    start: int,
    end: int,
    attrs: dict[str, str],
    pending: Entity | None,
    stack: list[tuple[str, int, dict[str, str], Entity | None]],
    entities: list[Entity],
) -> None:
    length = end - start
    if length <= 0:
        return
    entity: Entity = {"offset": start, "length": length}
    if name == "a":
        href = attrs.get("href")
        if not href:
            return
        entity.update(type="text_link", url=href)
    elif name == "span":
        entity["type"] = "spoiler"
    elif name == "tg-emoji":
        entity.update(type="custom_emoji", custom_emoji_id=attrs.get("emoji-id", ""))
    elif name == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "")
        if language.startswith("language-"):
            parent_name, parent_start, parent_attrs, _ = stack[-1]
            parent_attrs = {**parent_attrs, "_language": language.removeprefix("language-")}
            stack[-1] = (parent_name, parent_start, parent_attrs, None)
            return
        entity["type"] = "code"
    elif name == "pre":
        entity["type"] = "pre"
        if attrs.get("_language"):
            entity["language"] = attrs["_language"]
    elif name == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in attrs else "blockquote"
    else:
        entity["type"] = _SIMPLE_TAGS[name]
    entities.append(entity)


# --- MarkdownV2 -----------------------------------------------------------------------------

_V2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_V2_TOGGLES = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}


def _parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    position = 0
    entities: list[Entity] = []
    open_marks: dict[str, tuple[int, int]] = {}  # token -> (output offset, byte offset)
    link_starts: list[tuple[int, int]] = []
    index = 0

    def emit(chunk: str) -> None:
        nonlocal position
        out.append(chunk)
        position += utf16_len(chunk)

    while index < len(text):
        char = text[index]
        offset = _byte_offset(text, index)
        if char == "\\" and index + 1 < len(text):
            emit(text[index + 1])
            index += 2
            continue
        if char == "`":
            fence = text.startswith("```", index)
            marker = "```" if fence else "`"
            body_start = index + len(marker)
            language = ""
            if fence:
                newline = text.find("\n", body_start)
                first_line = text[body_start:newline] if newline != -1 else ""
                if newline != -1 and first_line and " " not in first_line:
                    language, body_start = first_line, newline + 1
            end = text.find(marker, body_start)
            if end == -1:
                kind = "Pre" if fence else "Code"
                raise EntityParseError(f"Can't find end of {kind} entity at byte offset {offset}")
            body = re.sub(r"\\([`\\])", r"\1", text[body_start:end])
            start = position
            emit(body)
            entity: Entity = {"type": "pre" if fence else "code", "offset": start}
            entity["length"] = position - start
            if language:
                entity["language"] = language
            if entity["length"]:
                entities.append(entity)
            index = end + len(marker)
            continue
        token = None
        for candidate in ("||", "__", "*", "_", "~"):
            if text.startswith(candidate, index):
                token = candidate
                break
        if token is not None:
            if token in open_marks:
                start, _ = open_marks.pop(token)
                if position > start:
                    entities.append(
                        {"type": _V2_TOGGLES[token], "offset": start, "length": position - start}
                    )
            else:
                open_marks[token] = (position, offset)
            index += len(token)
            continue
        if char == "[":
            link_starts.append((position, offset))
            index += 1
            continue
        if char == "]" and link_starts:
            match = re.compile(r"\]\(((?:\\.|[^)\\])*)\)").match(text, index)
            if match is None:
                raise EntityParseError(f"Can't find end of TextUrl entity at byte offset {offset}")
            start, _ = link_starts.pop()
            url = re.sub(r"\\(.)", r"\1", match.group(1))
            if position > start:
                entities.append(
                    {"type": "text_link", "offset": start, "length": position - start, "url": url}
                )
            index = match.end()
            continue
        if char == ">" and (index == 0 or text[index - 1] == "\n"):
            index += 1
            continue
        if char in _V2_RESERVED:
            raise EntityParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        emit(char)
        index += 1
    if open_marks:
        token, (_, offset) = min(open_marks.items(), key=lambda item: item[1][1])
        kind = _V2_TOGGLES[token].capitalize()
        raise EntityParseError(f"Can't find end of {kind} entity at byte offset {offset}")
    if link_starts:
        raise EntityParseError(
            f"Can't find end of TextUrl entity at byte offset {link_starts[0][1]}"
        )
    return "".join(out), _sorted(entities)


# --- legacy Markdown --------------------------------------------------------------------------

_LEGACY_TOGGLES = {"*": "bold", "_": "italic"}


def _parse_markdown(text: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    position = 0
    entities: list[Entity] = []
    index = 0
    while index < len(text):
        char = text[index]
        offset = _byte_offset(text, index)
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "_*`[":
            out.append(text[index + 1])
            position += 1
            index += 2
            continue
        if char in "*_`[":
            if char == "[":
                match = re.compile(r"\[([^\]]*)\]\(([^)]*)\)").match(text, index)
                if match is None:
                    raise EntityParseError(
                        f"Can't find end of the entity starting at byte offset {offset}"
                    )
                label = match.group(1)
                out.append(label)
                length = utf16_len(label)
                if length:
                    entities.append(
                        {
                            "type": "text_link",
                            "offset": position,
                            "length": length,
                            "url": match.group(2),
                        }
                    )
                position += length
                index = match.end()
                continue
            marker = "```" if text.startswith("```", index) else char
            end = text.find(marker, index + len(marker))
            if end == -1:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {offset}"
                )
            body = text[index + len(marker) : end]
            kind = {"```": "pre", "`": "code"}.get(marker) or _LEGACY_TOGGLES[char]
            out.append(body)
            length = utf16_len(body)
            if length:
                entities.append({"type": kind, "offset": position, "length": length})
            position += length
            index = end + len(marker)
            continue
        out.append(char)
        position += utf16_len(char)
        index += 1
    return "".join(out), _sorted(entities)


# --- automatic entities -----------------------------------------------------------------------

_AUTO_PATTERNS = (
    ("bot_command", re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")),
    ("url", re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")),
    ("mention", re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}\b")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
)


def detect_entities(text: str, existing: list[Entity] | None = None) -> list[Entity]:
    """Entities Telegram recognises without markup, skipping spans that overlap ``existing``."""
    taken = [(e["offset"], e["offset"] + e["length"]) for e in existing or []]
    found: list[Entity] = []
    for kind, pattern in _AUTO_PATTERNS:
        for match in pattern.finditer(text):
            start = utf16_len(text[: match.start()])
            end = start + utf16_len(match.group(0))
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            found.append({"type": kind, "offset": start, "length": end - start})
    return _sorted([*(existing or []), *found])
