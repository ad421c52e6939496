"""ParsedDispatch → the JSON object SCHEMA.md defines (and score.py compares)."""

from __future__ import annotations

from typing import Any

from ingest.model import Due, ParsedDispatch


def due_schema(due: Due) -> dict[str, Any]:
    """One timing as SCHEMA.md writes it: kind, date, phrase, then only the fields set."""
    out: dict[str, Any] = {
        "kind": due.kind,
        "date": due.date.isoformat() if due.date else None,
        "phrase": due.phrase,
    }
    optional = {
        "every": due.every,
        "month": due.month,
        "day": due.day,
        "time": due.time,
        "days": due.days,
        "working": due.working,
        "from": due.origin,
    }
    out.update({key: value for key, value in optional.items() if value is not None})
    return out


def to_schema(d: ParsedDispatch, doc_name: str) -> dict[str, Any]:
    return {
        "doc": doc_name,
        "kind": d.kind,
        "number": d.number,
        "issuer": d.issuer,
        "issued_on": d.issued_on.isoformat() if d.issued_on else None,
        "subject": d.subject,
        "signer": {"name": d.signer.name, "title": d.signer.title} if d.signer else None,
        "recipients": list(d.recipients),
        "recipients_unsure": d.recipients_unsure,
        "tasks": [
            {
                "ref": t.ref,
                "text_starts": t.text_starts,
                "lead": list(t.lead),
                "support": list(t.support),
                "due": [due_schema(due) for due in t.due],
                # Not part of SCHEMA.md's comparison: the fields the office should check.
                "unsure": sorted(t.unsure),
            }
            for t in d.tasks
        ],
    }
