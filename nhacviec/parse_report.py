"""`nhacviec parse FILE [--json]`: print a dispatch's tasks as a table or as SCHEMA JSON."""

from __future__ import annotations

import json
import os
from typing import TextIO

from bot import texts
from ingest import parse_document, to_schema
from ingest.errors import IngestError
from ingest.model import RECIPIENTS, Due, ParsedDispatch

_TEXT_WIDTH = 48


def _due_text(due: Due) -> str:
    label = texts.INGEST_DUE_KINDS.get(due.kind, due.kind)
    if due.date is not None and due.kind == "deadline":
        return f"{due.date:%d/%m/%Y} ({due.phrase})"
    if due.date is not None:
        return f"{label} {due.date:%d/%m/%Y} ({due.phrase})"
    return f"{label} ({due.phrase})"


def _units(units: tuple[str, ...]) -> str:
    names = [texts.INGEST_RECIPIENTS if u == RECIPIENTS else u for u in units]
    return "; ".join(names) or texts.INGEST_NONE


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(d: ParsedDispatch) -> str:
    """A plain-text summary for people: header fields, then one block per task."""
    lines = [
        f"{texts.INGEST_LABEL_KIND}: {texts.INGEST_KINDS.get(d.kind, d.kind)}",
        f"{texts.INGEST_LABEL_NUMBER}: {d.number or texts.INGEST_NONE}",
        f"{texts.INGEST_LABEL_ISSUER}: {d.issuer or texts.INGEST_NONE}",
        f"{texts.INGEST_LABEL_ISSUED_ON}: "
        + (f"{d.issued_on:%d/%m/%Y}" if d.issued_on else texts.INGEST_NONE),
        f"{texts.INGEST_LABEL_SUBJECT}: {d.subject or texts.INGEST_NONE}",
        f"{texts.INGEST_LABEL_SIGNER}: "
        + (
            f"{d.signer.name}" + (f" ({d.signer.title})" if d.signer.title else "")
            if d.signer
            else texts.INGEST_NONE
        ),
        f"{texts.INGEST_LABEL_RECIPIENTS}: " + ("; ".join(d.recipients) or texts.INGEST_NONE),
        "",
        f"{texts.INGEST_LABEL_TASKS} ({len(d.tasks)}):",
    ]
    heads = (
        texts.INGEST_HEAD_REF,
        texts.INGEST_HEAD_LEAD,
        texts.INGEST_HEAD_SUPPORT,
        texts.INGEST_HEAD_DUE,
        texts.INGEST_HEAD_TEXT,
    )
    rows = []
    for task in d.tasks:
        dues = "; ".join(_due_text(x) for x in task.due) or texts.INGEST_NONE
        start = task.text_starts + ("…" if len(task.text) > len(task.text_starts) else "")
        rows.append((task.ref, _units(task.lead), _units(task.support), dues, start))
    widths = [
        max(len(head), *(min(len(row[i]), _TEXT_WIDTH) for row in rows))
        for i, head in enumerate(heads)
    ]
    lines.append(" | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
    lines.append("-+-".join("-" * w for w in widths))
    for row in rows:
        cells = (_clip(c, w).ljust(w) for c, w in zip(row, widths, strict=True))
        lines.append(" | ".join(cells).rstrip())
    return "\n".join(lines)


def run_parse(path: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    """Parse FILE and print it; bad input gives a Vietnamese message on ``err`` and 2."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        print(texts.ingest_error("not_found", path=path), file=err)
        return 2
    except OSError:
        print(texts.ingest_error("unreadable", path=path), file=err)
        return 2
    try:
        dispatch = parse_document(data, os.path.basename(path))
    except IngestError as error:
        print(texts.ingest_error(error.code, **error.params), file=err)
        return 2
    if as_json:
        document = to_schema(dispatch, os.path.basename(path))
        print(json.dumps(document, ensure_ascii=False, indent=2), file=out)
    else:
        print(render_table(dispatch), file=out)
    return 0
