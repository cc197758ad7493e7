"""Late-submission policy: points off per started hour late, capped at a share of the score.

Policy (see docs/classroom.md): a notebook submitted after the due date (plus any extension)
loses ``penalty_per_hour`` points for every started hour it is late, but never more than
``max_fraction`` of the score it earned (default: at most half). Turn it on in nbgrader's
configuration::

    c.AssignLatePenalties.plugin_class = "course.classroom.late.CappedSubMarks"
    c.CappedSubMarks.penalty_per_hour = 1.0
    c.CappedSubMarks.max_fraction = 0.5
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float


def capped_penalty(score: float, seconds_late: float, per_hour: float, max_fraction: float) -> float:
    """The penalty in points: ``per_hour`` per started hour late, at most ``max_fraction * score``."""
    if seconds_late <= 0 or score <= 0:
        return 0.0
    hours = math.ceil(seconds_late / 3600)
    return min(hours * per_hour, max_fraction * score)


class CappedSubMarks(LateSubmissionPlugin):
    """Subtract points per started hour late, capped at a fraction of the notebook's score."""

    penalty_per_hour = Float(1.0, help="Points subtracted per started hour late.").tag(config=True)
    max_fraction = Float(0.5, help="The penalty never exceeds this share of the earned score.").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        penalty = capped_penalty(score, total_seconds_late, self.penalty_per_hour, self.max_fraction)
        self.log.warning(
            "%s is %.0f s late: %.2f points off (%.2f per started hour, capped at %.0f%% of %.2f)",
            student_id,
            total_seconds_late,
            penalty,
            self.penalty_per_hour,
            100 * self.max_fraction,
            score,
        )
        return penalty
