"""The mutation tool's parts that need no kernel: the mutator, broken answers, the equivalents list, the report."""

from __future__ import annotations

import ast
import importlib.util
import sys

import pytest

from tests.course_files import ROOT, assignments
from tools import exercise_harness, mutants

SOLUTION = '''def fetch_all(client, bucket, limit):
    """Every key under the bucket."""
    ### BEGIN SOLUTION
    keys, token = [], None
    while True:
        kwargs = {"Bucket": bucket, "MaxKeys": limit}
        if token is not None:
            kwargs["ContinuationToken"] = token
        page = client.list_objects_v2(**kwargs)
        keys += [o["Key"] for o in page.get("Contents", []) if o["Size"] > 0]
        token = page.get("NextContinuationToken")
        if not token:
            break
    print("done", len(keys))
    return sorted(keys, reverse=True)
    ### END SOLUTION
'''


def load_tool():
    if "aip_mutation_tool" in sys.modules:
        return sys.modules["aip_mutation_tool"]
    spec = importlib.util.spec_from_file_location("aip_mutation_tool", ROOT / "benchmarks" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_operator_makes_parsable_mutants_inside_the_solution_only():
    """Do the operators the issue names all appear, each mutant parse, and the def line and docstring stay?"""
    made = mutants.mutants(SOLUTION)
    ops = {m.operator for m in made}
    assert {"drop-keyword", "drop-key", "literal", "delete-statement", "one-pass", "return-constant"} <= ops
    assert {"comparison", "boolean", "condition"} <= ops
    for m in made:
        ast.parse(m.source)
        assert m.source.startswith('def fetch_all(client, bucket, limit):\n    """Every key under the bucket."""'), (
            m.diff
        )
        assert m.diff and all(line[:2] in ("- ", "+ ") for line in m.diff.splitlines())
    diffs = {m.diff for m in made}
    assert "- break\n+ pass" in diffs  # a statement deleted
    assert any(m.operator == "one-pass" and "+ break" in m.diff for m in made)
    assert '- print("done", len(keys))\n+ pass' in diffs  # printing is behaviour-free, but deletable
    assert not any("'doneX'" in m.diff for m in made), "messages are not mutated"
    assert len({m.id for m in made}) == len(made)


def test_mutant_ids_survive_edits_elsewhere_in_the_solution():
    """Is a mutant's id the same after an unrelated line of the solution changed?"""
    before = {m.diff: m.id for m in mutants.mutants(SOLUTION)}
    edited = SOLUTION.replace("keys, token = [], None", "keys, token = [], None  # start\n    seen = 0")
    after = {m.diff: m.id for m in mutants.mutants(edited)}
    common = set(before) & set(after)
    assert len(common) > 20 and all(before[d] == after[d] for d in common)


def test_broken_answers_keep_the_signature_and_replace_the_body():
    """Does each broken answer keep the def line and docstring and return (or raise) something wrong?"""
    made = mutants.broken_answers(SOLUTION)
    assert len(made) == len(mutants.BROKEN)
    for key, source in made:
        tree = ast.parse(source)
        func = tree.body[0]
        assert func.name == "fetch_all" and ast.get_docstring(func) == "Every key under the bucket."
        assert len(func.body) == 2 and isinstance(func.body[1], (ast.Return, ast.Raise)), key


def test_equivalent_mutants_are_reviewed_and_still_exist():
    """Does every entry of equivalent_mutants.yaml give a reason and name a mutant the tool still makes?"""
    tool = load_tool()
    listed = tool.load_equivalents()
    stale = []
    for (notebook, exercise), entries in listed.items():
        assert notebook in assignments(), notebook
        by_id = {e.grade_id: e for e in exercise_harness.exercises(notebook)}
        assert exercise in by_id, (notebook, exercise)
        made = {m.id: m for m in mutants.mutants(by_id[exercise].solution)}
        for mid, entry in entries.items():
            if mid not in made or made[mid].diff.strip() != entry["diff"].strip():
                stale.append(f"{notebook}/{exercise} {mid}")
            assert len(entry["reason"].split()) >= 4, (mid, entry["reason"])
    assert not stale, f"entries that no longer match a mutant (re-run the tool and review): {stale}"


def test_report_renders_counts_and_survivors():
    """Does docs/mutation.md's table give the kill rate, flag an exercise under the goal and show survivors?"""
    tool = load_tool()
    data = {
        "demo": {
            "ex-a": {
                "mutants": 20,
                "killed": 19,
                "survivors": [],
                "equivalent": ["x1"],
                "control": "pass",
                "date": "d",
            },
            "ex-b": {
                "mutants": 10,
                "killed": 8,
                "survivors": [{"id": "abc", "operator": "literal", "diff": "- a = 1\n+ a = 2"}],
                "equivalent": ["x2"],
                "control": "pass",
                "date": "d",
            },
        }
    }
    listed = {
        ("demo", "ex-a"): {"x1": {"reason": "r1", "diff": "- x"}},
        ("demo", "ex-b"): {"x2": {"reason": "r2", "diff": "- y"}},
    }
    text = tool.render(data, listed)
    assert "| demo | ex-a | 20 | 19 | 0 | 1 | 100.0 | d |" in text
    assert "| demo | ex-b | 10 | 8 | 1 | 1 | 88.9 ✗ | d |" in text
    assert "`demo/ex-b` `abc` (literal)" in text and "+ a = 2" in text and "r2" in text


@pytest.mark.parametrize("name", assignments())
def test_every_exercise_has_mutants(name):
    """Does the mutator find something to change in every exercise of every notebook?"""
    for ex in exercise_harness.exercises(name):
        assert len(mutants.mutants(ex.solution)) >= 3, ex.grade_id
