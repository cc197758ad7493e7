"""docs/grading-safety.md lists exactly the corpus's cases, as the corpus describes them."""

from __future__ import annotations

from tests.classroom.hostile import corpus, report


def test_docs_table_lists_every_corpus_case():
    """Is the committed table in step with corpus.py (same cases, same descriptions, same order)?"""
    assert report.DOC.exists(), "docs/grading-safety.md is missing: run tests/classroom/hostile/test_hostile.py"
    expected = [(c.name, report.cell(c.summary)) for c in corpus.CASES]
    assert report.listed() == expected, (
        "docs/grading-safety.md is out of date with tests/classroom/hostile/corpus.py: "
        "run `pytest tests/classroom/hostile/test_hostile.py` (it rewrites the table when every case passes)"
    )


def test_docs_table_is_linked_from_the_classroom_guide():
    """Can an instructor find the table from docs/classroom.md?"""
    assert "grading-safety.md" in (report.DOC.parent / "classroom.md").read_text()
