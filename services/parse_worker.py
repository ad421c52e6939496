"""Parsing a received file in a separate process, within limits.

One untrusted file must not stall the bot: a zip bomb, a 10,000-item text or a 19 MB text
file is parsed by a child process (``python -m services.parse_worker``) that

- caps its own address space (``RLIMIT_AS``) before reading anything,
- refuses a .docx whose zip declares, or really holds while being read, more than
  ``max_unzipped_mb`` or more than ``max_zip_parts`` parts (before python-docx opens it),
- refuses a PDF of more than ``max_pdf_pages`` pages, a text of more than ``max_chars``
  characters or ``max_items`` numbered items, and a result of more than ``max_items`` tasks,

and is killed (its whole process group, so an OCR or LibreOffice child goes too) after
``timeout_seconds`` or when the bot shuts down. The parent only waits on a pipe, so the
event loop keeps answering everyone else meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import io
import logging
import os
import pickle
import re
import signal
import sys
import zipfile
from dataclasses import dataclass
from typing import Any

from ingest import IngestError, ParsedDispatch

log = logging.getLogger(__name__)

# The limits a refusal can name; bot/texts/ingest.py has one message for each.
TIMEOUT = "timeout"
MEMORY = "memory"
UNZIPPED_SIZE = "unzipped_size"
ZIP_PARTS = "zip_parts"
PDF_PAGES = "pdf_pages"
CHARS = "chars"
ITEMS = "items"
LIMITS = (TIMEOUT, MEMORY, UNZIPPED_SIZE, ZIP_PARTS, PDF_PAGES, CHARS, ITEMS)

_MB = 1024 * 1024
# A line that opens a numbered item: "1.", "12)", "2.3.", "a)", "IV." (what the parser counts).
_NUMBERED = re.compile(
    r"^[ \t]*(?:\d{1,5}(?:\.\d{1,4})*[.)]|[a-zđ][.)]|[IVXLCDM]{1,6}[.)])[ \t]", re.M
)


@dataclass(frozen=True, slots=True)
class ParseLimits:
    timeout_seconds: float = 20.0
    memory_mb: int = 300
    max_unzipped_mb: int = 50
    max_zip_parts: int = 500
    max_pdf_pages: int = 300
    max_chars: int = 1_000_000
    max_items: int = 1000


class ParseLimitError(Exception):
    """The file went past ``limit`` (one of LIMITS), whose bound is ``bound``."""

    def __init__(self, limit: str, bound: float) -> None:
        super().__init__(f"{limit} > {bound}")
        self.limit = limit
        self.bound = bound


class ParseCancelled(Exception):
    """The worker was killed because the bot is shutting down."""


# --- The parent side ----------------------------------------------------------------------


class ParseWorkers:
    """The running worker processes, so shutdown can kill them at once."""

    def __init__(self) -> None:
        self._running: set[asyncio.subprocess.Process] = set()
        self._closing = False

    @property
    def running(self) -> int:
        return len(self._running)

    async def parse(
        self,
        data: bytes,
        name: str,
        *,
        limits: ParseLimits,
        max_bytes: int,
        received_on: datetime.date | None,
    ) -> ParsedDispatch:
        """The parsed dispatch; IngestError, ParseLimitError or ParseCancelled otherwise."""
        if self._closing:
            raise ParseCancelled
        payload = pickle.dumps((data, name, limits, max_bytes, received_on))
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "services.parse_worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # its own process group: killed with its children
        )
        self._running.add(process)
        try:
            out, err = await asyncio.wait_for(
                process.communicate(payload), timeout=limits.timeout_seconds
            )
        except TimeoutError:
            _kill(process)
            await process.wait()
            raise ParseLimitError(TIMEOUT, limits.timeout_seconds) from None
        finally:
            self._running.discard(process)
        if self._closing:
            raise ParseCancelled
        return _result(out, err, process.returncode, limits)

    def kill_all(self) -> None:
        """Kill every worker now (shutdown); their callers get ParseCancelled."""
        self._closing = True
        for process in list(self._running):
            _kill(process)


def _kill(process: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()


def _result(out: bytes, err: bytes, returncode: int | None, limits: ParseLimits) -> ParsedDispatch:
    try:
        outcome: tuple[Any, ...] = pickle.loads(out) if out else ()
    except Exception:
        outcome = ()
    if outcome and outcome[0] == "ok":
        parsed: ParsedDispatch = outcome[1]
        return parsed
    if outcome and outcome[0] == "ingest":
        raise IngestError(outcome[1], **outcome[2])
    if outcome and outcome[0] == "limit":
        raise ParseLimitError(outcome[1], outcome[2])
    if b"MemoryError" in err or returncode in (-signal.SIGKILL, -signal.SIGSEGV):
        # Out of address space inside a C extension, or the allocator gave up.
        raise ParseLimitError(MEMORY, limits.memory_mb)
    log.error("parse worker failed (exit %s): %s", returncode, err[-2000:].decode(errors="replace"))
    raise IngestError("corrupt")


# --- The worker side ----------------------------------------------------------------------


def check_zip(data: bytes, limits: ParseLimits) -> None:
    """Refuse a zip over the limits by its declared sizes, then by the bytes it really
    inflates to (a zip can lie about its sizes), reading nothing past the cap."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable zip: the reader says "corrupt"
    cap = limits.max_unzipped_mb * _MB
    infos = archive.infolist()
    if len(infos) > limits.max_zip_parts:
        raise ParseLimitError(ZIP_PARTS, limits.max_zip_parts)
    if sum(info.file_size for info in infos) > cap:
        raise ParseLimitError(UNZIPPED_SIZE, limits.max_unzipped_mb)
    total = 0
    try:
        for info in infos:
            with archive.open(info) as member:
                while chunk := member.read(_MB):
                    total += len(chunk)
                    if total > cap:
                        raise ParseLimitError(UNZIPPED_SIZE, limits.max_unzipped_mb)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
        raise IngestError("corrupt", extension=".docx") from None


def check_pdf(data: bytes, limits: ParseLimits) -> None:
    from pypdf import PdfReader

    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception:
        return  # the reader says what is wrong with it
    if pages > limits.max_pdf_pages:
        raise ParseLimitError(PDF_PAGES, limits.max_pdf_pages)


def check_text(text: str, limits: ParseLimits) -> None:
    if len(text) > limits.max_chars:
        raise ParseLimitError(CHARS, limits.max_chars)
    for items, _ in enumerate(_NUMBERED.finditer(text), start=1):
        if items > limits.max_items:
            raise ParseLimitError(ITEMS, limits.max_items)


def _as_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8", errors="replace")


def check_limits(data: bytes, limits: ParseLimits) -> None:
    """Everything that can be refused before the parser reads the file."""
    if data.startswith(b"PK\x03\x04"):
        check_zip(data, limits)
    elif data.startswith(b"%PDF"):
        check_pdf(data, limits)
    elif not data.startswith(b"\xd0\xcf\x11\xe0"):  # not a legacy .doc: read as text
        check_text(_as_text(data), limits)


def parse_within_limits(
    data: bytes,
    name: str,
    limits: ParseLimits,
    max_bytes: int,
    received_on: datetime.date | None,
) -> ParsedDispatch:
    from ingest import parse_document

    check_limits(data, limits)
    parsed = parse_document(data, name, max_bytes=max_bytes, received_on=received_on)
    if len(parsed.tasks) > limits.max_items:
        raise ParseLimitError(ITEMS, limits.max_items)
    return parsed


def _cap_memory(megabytes: int) -> None:
    import resource

    cap = megabytes * _MB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def main() -> None:
    payload = sys.stdin.buffer.read()
    data, name, limits, max_bytes, received_on = pickle.loads(payload)
    del payload
    _cap_memory(limits.memory_mb)
    outcome: tuple[Any, ...]
    try:
        outcome = ("ok", parse_within_limits(data, name, limits, max_bytes, received_on))
    except IngestError as error:
        outcome = ("ingest", error.code, dict(error.params))
    except ParseLimitError as error:
        outcome = ("limit", error.limit, error.bound)
    except MemoryError:
        outcome = ("limit", MEMORY, limits.memory_mb)
    sys.stdout.buffer.write(pickle.dumps(outcome))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
