"""nbgrader settings for every user of the classroom hub (install as /etc/jupyter/nbgrader_config.py).

Students and instructors read the exchange location and the course id from here; the
instructor's course directory adds its own nbgrader_config.py (course id, timeouts) on top.
"""

import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import GetGrades

from course.classroom.feedback import StudentFeedback

c = get_config()  # noqa: F821 - provided by Jupyter when it loads this file

# Shared folder through which assignments, submissions and feedback travel (a shared RWX volume on Kubernetes).
c.Exchange.root = os.environ.get("AIP_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
c.CourseDirectory.course_id = "aip-c01"

# Late policy (course.classroom.late): 1 point per started hour late, never more than half the earned score.
c.AssignLatePenalties.plugin_class = "course.classroom.late.CappedSubMarks"
c.CappedSubMarks.penalty_per_hour = 1.0
c.CappedSubMarks.max_fraction = 0.5

# Autograding on the hub's grading server: refuse to grade if the kernel jail (no network, no
# credentials, read-only course; course/classroom/limits.py) cannot be set up there.
c.LimitedExecute.require_isolation = True

# Feedback shows "hidden checks: passed/failed" instead of the hidden tests, and no graded-quiz
# key (course/classroom/feedback.py), whichever course configuration is used with it. The key is
# released by c.StudentFeedback.reveal_answers in the course's own nbgrader_config.py (it is read last).
c.GenerateFeedback.preprocessors = [GetGrades, StudentFeedback, CSSHTMLHeaderPreprocessor]
