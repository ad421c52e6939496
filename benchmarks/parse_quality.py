"""Parser quality on the labelled corpora: scores, and how well the ⚠ marks point at errors.

    python benchmarks/parse_quality.py [--corpus DIR ...] [--format txt|docx|docx-lines|pdf ...]
                                       [--verbose]

For each corpus (default: ../shared/corpus, ../shared/corpus/dev and the held-out letters in
tests/ingest/corpus/heldout) and each input format,
the documents are parsed in this process, written as SCHEMA JSON and scored with the
corpus's own score.py. Then the uncertainty marks (ParsedTask.unsure) are compared with the
errors score.py would count, field by field:

- a predicted task that pairs with no gold task has a wrong "text" (it should not exist);
- a paired task's "lead", "support" and "due" are wrong when score.py's comparison fails.

``flag_recall`` is the share of wrong fields that carry the mark (goal ≥ 0.8);
``flag_false_rate`` is the share of right fields that carry it (goal ≤ 0.1). One line per
figure; the baseline ``parse_s`` says how long the corpus took to parse.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import parse_document, to_schema  # noqa: E402
from ingest.errors import IngestError  # noqa: E402
from tests.ingest.builders import build_pdf, build_plain_docx, pdf_lines  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
HELDOUT = ROOT / "tests" / "ingest" / "corpus" / "heldout"


def score_module(corpus: Path) -> ModuleType:
    # The corpus's own score.py, else its parent's, else the shared one.
    found = [p / "score.py" for p in (corpus, corpus.parent, SHARED) if (p / "score.py").exists()]
    spec = importlib.util.spec_from_file_location("corpus_score", found[0])
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def as_input(kind: str, source: Path) -> tuple[bytes, str]:
    text = source.read_text(encoding="utf-8")
    if kind == "pdf":
        return build_pdf(pdf_lines(text)), f"{source.stem}.pdf"
    if kind == "docx":
        return build_plain_docx(text.split("\n\n")), f"{source.stem}.docx"
    if kind == "docx-lines":  # a paragraph per line, as some offices type a Kính gửi list
        return build_plain_docx(text.split("\n")), f"{source.stem}.docx"
    return source.read_bytes(), source.name


def predict(corpus: Path, kind: str, out: Path) -> tuple[dict[str, dict[str, Any]], float]:
    """Parse every document of ``corpus`` as ``kind`` into ``out``; schema and unsure marks."""
    found: dict[str, dict[str, Any]] = {}
    began = time.perf_counter()
    for source in sorted(corpus.glob("*.txt")):
        data, filename = as_input(kind, source)
        try:
            document = to_schema(parse_document(data, filename), source.name)
        except IngestError:
            continue
        (out / f"{source.stem}.json").write_text(
            json.dumps(document, ensure_ascii=False), encoding="utf-8"
        )
        found[source.stem] = document
    return found, time.perf_counter() - began


def flag_counts(
    score: ModuleType, corpus: Path, predicted: dict[str, dict[str, Any]]
) -> tuple[int, int, int, int]:
    """(wrong fields, wrong fields marked, right fields, right fields marked)."""
    wrong = wrong_marked = right = right_marked = 0
    for gold_path in sorted(corpus.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pred = predicted.get(gold_path.name.removesuffix(".gold.json"), {})
        tasks = pred.get("tasks") or []
        pairs = score.match_tasks(tasks, gold["tasks"])
        paired = [p for _, p in pairs if p is not None]
        recipients = gold.get("recipients") or []
        for task in tasks:
            unsure = set(task.get("unsure") or [])
            is_paired = any(task is p for p in paired)
            if is_paired:
                right, right_marked = right + 1, right_marked + ("text" in unsure)
            else:
                wrong, wrong_marked = wrong + 1, wrong_marked + ("text" in unsure)
        for g, p in pairs:
            if p is None:
                continue
            unsure = set(p.get("unsure") or [])
            checks = {
                "lead": score.unit_words(p.get("lead"), recipients)
                == score.unit_words(g["lead"], recipients),
                "support": score.unit_words(p.get("support")) == score.unit_words(g["support"]),
                "due": score.due_set(p.get("due")) == score.due_set(g["due"]),
            }
            for name, ok in checks.items():
                if ok:
                    right, right_marked = right + 1, right_marked + (name in unsure)
                else:
                    wrong, wrong_marked = wrong + 1, wrong_marked + (name in unsure)
    return wrong, wrong_marked, right, right_marked


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", type=Path)
    parser.add_argument("--format", action="append", choices=["txt", "docx", "docx-lines", "pdf"])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    corpora = args.corpus or [SHARED, SHARED / "dev", HELDOUT]
    kinds = args.format or ["txt", "docx", "docx-lines", "pdf"]
    totals = [0, 0, 0, 0]
    for corpus in corpora:
        if not any(corpus.glob("*.gold.json")):
            print(f"{corpus}: no gold files, skipped")
            continue
        score = score_module(corpus)
        for kind in kinds:
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder)
                predicted, seconds = predict(corpus, kind, out)
                printed = io.StringIO()
                with contextlib.redirect_stdout(printed):
                    score.main([str(corpus), str(out), *(["--verbose"] if args.verbose else [])])
            lines = printed.getvalue().splitlines()
            if args.verbose:
                print("\n".join(lines[:-2]))
            name = corpus.name
            print(f"{name} {kind} {lines[-2]}")
            print(f"{name} {kind} {lines[-1]} parse_s={seconds:.3f}")
            counts = flag_counts(score, corpus, predicted)
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
    wrong, wrong_marked, right, right_marked = totals
    print(f"wrong_fields={wrong} marked={wrong_marked}")
    print(f"right_fields={right} marked={right_marked}")
    print(f"flag_recall={wrong_marked / wrong if wrong else 1.0:.3f}")
    print(f"flag_false_rate={right_marked / right if right else 0.0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
