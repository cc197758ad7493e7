"""nbgrader settings for the course (instructors may add their own on top)."""

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from course.classroom.feedback import StudentFeedback
from course.classroom.limits import LimitedExecute

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "aip-c01"
# The text form of each notebook (*.py) and the graded-quiz key stay with the instructor.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py", "graded_key.yaml"]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Autograding runs each notebook in a jailed kernel with limits (course/classroom/limits.py,
# docs/grading-safety.md): nbgrader's own steps, with its Execute replaced.
c.Autograde.autograde_preprocessors = [
    LimitedExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
# Generous per-cell limit: the first call into some moto services loads their models.
c.LimitedExecute.timeout = 120  # seconds per cell
c.LimitedExecute.notebook_timeout = 900  # seconds per notebook
c.LimitedExecute.memory_limit_mb = 3072  # address space of the kernel
c.LimitedExecute.file_size_limit_mb = 64  # largest file student code may write
c.LimitedExecute.max_output_bytes = 200_000  # output kept per cell
# Set to True on a grading server, so grading stops rather than runs without the jail.
c.LimitedExecute.require_isolation = False
# Feedback (course/classroom/feedback.py): nbgrader's steps, plus one that replaces each hidden
# test block with "hidden checks: passed/failed" and keeps the graded quiz's key out.
c.GenerateFeedback.preprocessors = [GetGrades, StudentFeedback, CSSHTMLHeaderPreprocessor]
# True only after the last deadline: the feedback then shows each graded question's key and the
# explanation of every option (regenerate with --force; no regrading needed).
c.StudentFeedback.reveal_answers = False
# Validation and other nbgrader commands that execute notebooks.
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120
