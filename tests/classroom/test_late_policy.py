"""The late-submission policy: points per started hour, capped at a share of the score."""

from __future__ import annotations

import pytest

from course.classroom.late import CappedSubMarks, capped_penalty


@pytest.mark.parametrize(
    ("score", "seconds", "expected"),
    [
        (20, 0, 0),  # on time
        (20, 1, 1),  # one second late is one started hour
        (20, 3600, 1),
        (20, 3601, 2),
        (20, 9 * 3600, 9),
        (20, 30 * 3600, 10),  # capped at half of 20
        (0, 5 * 3600, 0),  # nothing earned, nothing to take
    ],
)
def test_capped_penalty(score, seconds, expected):
    """Is the penalty 1 point per started hour, never more than half the score?"""
    assert capped_penalty(score, seconds, per_hour=1.0, max_fraction=0.5) == expected


def test_plugin_reads_its_settings_from_config():
    """Does the nbgrader plugin take penalty_per_hour and max_fraction from the configuration?"""
    from traitlets.config import Config

    config = Config({"CappedSubMarks": {"penalty_per_hour": 2.5, "max_fraction": 0.2}})
    plugin = CappedSubMarks(config=config)
    assert plugin.late_submission_penalty("s1", 10.0, 2 * 3600) == 2.0  # 5.0 capped at 20% of 10
    assert plugin.late_submission_penalty("s1", 100.0, 2 * 3600) == 5.0
