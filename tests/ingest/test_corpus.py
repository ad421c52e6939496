"""The labelled corpus through the parser, scored by the project's own score.py.

Each document is also laid out as a PDF text layer (wrapped lines, no blank lines) and as a
.docx, so the readers are held to the same thresholds as plain text.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest

from ingest import parse_document, to_schema
from tests.ingest.builders import build_pdf, build_plain_docx, pdf_lines

# In CI the shared folder sits next to the repository: <root>/../shared/corpus.
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "score.py").exists(), reason=f"labelled corpus not found at {CORPUS}"
)


def _score_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _as(kind: str, source: Path) -> tuple[bytes, str]:
    text = source.read_text(encoding="utf-8")
    if kind == "pdf":
        return build_pdf(pdf_lines(text)), f"{source.stem}.pdf"
    if kind == "docx":
        return build_plain_docx(text.split("\n\n")), f"{source.stem}.docx"
    return source.read_bytes(), source.name


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_corpus_meets_the_score_thresholds(kind: str, tmp_path: Path) -> None:
    for source in sorted(CORPUS.glob("*.txt")):
        data, filename = _as(kind, source)
        dispatch = parse_document(data, filename)
        (tmp_path / f"{source.stem}.json").write_text(
            json.dumps(to_schema(dispatch, source.name), ensure_ascii=False), encoding="utf-8"
        )
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        assert _score_module().main([str(CORPUS), str(tmp_path), "--verbose"]) == 0
    lines = output.getvalue().splitlines()
    score = float(lines[-1].split(":")[1])
    means = dict(item.split("=") for item in lines[-2].removeprefix("mean: ").split())
    assert score >= 0.95, output.getvalue()
    assert float(means["dated_precision"]) == 1.0, output.getvalue()
    assert float(means["dated_recall"]) >= 0.95, output.getvalue()
