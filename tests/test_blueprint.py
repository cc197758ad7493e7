"""The AIP-C01 blueprint as data: every skill taught and asked (or pending with its issue), and
docs/blueprint.md generated from the current files."""

from __future__ import annotations

import copy

import pytest
import yaml

from course import bank
from course import blueprint as bp_mod
from course.exam import settings as exam_settings
from tests.course_files import ROOT
from tools import blueprint_report as report

# Skills per task statement in the exam guide (2026 edition): 98 in all.
SKILLS_PER_TASK = {
    "1.1": 3, "1.2": 4, "1.3": 4, "1.4": 5, "1.5": 6, "1.6": 6,
    "2.1": 7, "2.2": 3, "2.3": 5, "2.4": 4, "2.5": 6,
    "3.1": 5, "3.2": 3, "3.3": 4, "3.4": 3,
    "4.1": 4, "4.2": 6, "4.3": 6,
    "5.1": 9, "5.2": 5,
}  # fmt: skip
BP = bp_mod.load()
AL = report.collect()
RAW = yaml.safe_load((ROOT / "course" / "data" / "blueprint.yaml").read_text())


def test_blueprint_has_every_domain_task_and_skill():
    """Are there 5 domains, the 20 task statements and 98 skills numbered as in the exam guide?"""
    assert [d.id for d in BP.domains] == [1, 2, 3, 4, 5]
    assert {t.id: len(t.skills) for t in BP.tasks} == SKILLS_PER_TASK
    assert len(BP.skills) == 98
    for t in BP.tasks:
        assert [s.id for s in t.skills] == [f"{t.id}.{n}" for n in range(1, len(t.skills) + 1)]
        assert all(s.services and len(s.text) >= 10 for s in t.skills)


def test_weights_and_names_agree_with_the_exam_settings():
    """Do the blueprint's domain weights and names match the practice exam's settings (exam.yaml)?"""
    cfg = exam_settings.load()
    assert {d.id: d.weight for d in BP.domains} == cfg.domain_weights
    assert {d.id: d.name for d in BP.domains} == cfg.domain_names
    assert sum(d.weight for d in BP.domains) == 100


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["domains"][0]["tasks"][0]["skills"][0].update(id="1.2.9"), "listed under task 1.1"),
        (lambda d: d["domains"][0]["tasks"][1].update(id="2.9"), "listed under domain 1"),
        (lambda d: d["domains"][0]["tasks"][0]["skills"].append(d["domains"][0]["tasks"][0]["skills"][0]), "twice"),
        (lambda d: d["pending"].update({"9.9.9": {"issue": 1, "reason": "no such skill"}}), "not in the blueprint"),
        (lambda d: d["pending"].update({"1.1.1": {"issue": 1}}), "must contain ['reason']"),
        (lambda d: d["domains"][0]["tasks"][0]["skills"][0].pop("services"), "services"),
    ],
)
def test_blueprint_problems_are_caught(edit, message):
    """Is a misnumbered, repeated or incomplete entry reported with a clear message?"""
    data = copy.deepcopy(RAW)
    edit(data)
    found = bp_mod.problems(data)
    assert any(message in p for p in found), found


def test_coverage_maps_name_real_sections_exercises_and_skills():
    """Does every `skills:` entry of a coverage map name a real anchor, a real exercise and known skills?"""
    assert AL.map_problems == []


@pytest.mark.parametrize("name", sorted(report.coverage_maps()))
def test_every_notebook_maps_its_sections_to_skills(name):
    """Does each notebook's coverage map say which skills its sections teach?"""
    skills = report.coverage_maps()[name].get("skills") or {}
    assert skills.get("sections"), f"{name}.yaml: add skills: {{sections: {{'{name}#<anchor>': [skill ids]}}}}"


def test_every_skill_is_covered_or_pending():
    """Is every skill taught in a section and asked by two questions, or listed as pending with its issue?"""
    missing = [AL.why_uncovered(s) for s in AL.uncovered_not_pending()]
    assert not missing, (
        "skills neither covered nor pending (teach and ask them, or add them to pending: in "
        "course/data/blueprint.yaml with the issue that will cover them):\n  " + "\n  ".join(missing)
    )


def test_no_pending_skill_is_already_covered():
    """Is every pending skill really uncovered (so the pending list empties as notebooks land)?"""
    done = AL.pending_but_covered()
    assert not done, f"covered now, delete from pending: in course/data/blueprint.yaml: {done}"


def test_collect_counts_every_question_once():
    """Does the alignment see every self-check and graded question of every bank, with its skills?"""
    expected = sum(
        len(list(bank.iter_questions(bank.load(n)))) + len(bank.load(n).get("graded", [])) for n in bank.available()
    )
    assert len(AL.items) == expected
    tagged = [i for i in AL.items if i.skills]
    assert all(i.id in AL.questions[s] for i in tagged for s in i.skills)


def test_blueprint_doc_is_current():
    """Is docs/blueprint.md exactly what `python -m tools.blueprint_report` generates now?"""
    assert report.DOC.exists(), "docs/blueprint.md is missing: run python -m tools.blueprint_report"
    assert report.DOC.read_text("utf-8") == report.generate(), (
        "docs/blueprint.md is out of date: run python -m tools.blueprint_report"
    )


def test_prune_pending_drops_only_covered_skills(tmp_path):
    """Does --prune-pending delete exactly the covered skills' lines, leaving a valid file?"""
    copy_ = tmp_path / "blueprint.yaml"
    text = (ROOT / "course" / "data" / "blueprint.yaml").read_text()
    if not BP.pending:  # nothing is pending any more: prune synthetic entries instead
        synthetic = "\n".join(f'  "{s}": {{issue: 19, reason: "synthetic entry"}}' for s in ("1.1.1", "1.1.2"))
        text = text.replace("pending: {}", "pending:\n" + synthetic)
    copy_.write_text(text)
    pending = yaml.safe_load(text)["pending"]
    al = report.collect()
    first = sorted(pending)[0]
    al.pending_but_covered = lambda: [first]
    assert report.prune_pending(al, copy_) == [first]
    data = yaml.safe_load(copy_.read_text())
    assert set(data["pending"]) == set(pending) - {first}
    assert bp_mod.problems(data) == []
    comments = [line for line in copy_.read_text().splitlines() if line.lstrip().startswith("#")]
    original = (ROOT / "course" / "data" / "blueprint.yaml").read_text().splitlines()
    assert comments == [line for line in original if line.lstrip().startswith("#")]


def test_domain_table_shows_share_against_weight_and_genai_share():
    """Does the report give each domain's share of the scored pool, its gap to the weight and its GenAI share?"""

    def item(n: int, task: str, genai, graded: bool = False) -> report.Item:
        return report.Item(f"q{n}", "b", graded, task, (f"{task}.1",), genai, ())

    items = [item(1, "1.1", True), item(2, "1.2", True), item(3, "1.3", False), item(4, "2.1", None)]
    items.append(item(5, "5.1", True, graded=True))  # graded questions are not in the scored pool
    table = report.domain_table(report.Alignment(blueprint=BP, items=items))
    assert "| 31 % | 3 | 75.0 % | +44.0 | 2 | 1 | 0 | 66.7 % |" in table
    assert "| 26 % | 1 | 25.0 % | -1.0 | 0 | 0 | 1 | 0.0 % |" in table
    assert "| 11 % | 0 | 0.0 % | -11.0 | 0 | 0 | 0 | - |" in table
