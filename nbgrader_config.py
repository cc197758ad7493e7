"""nbgrader settings for the course (instructors may add their own on top)."""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "aip-c01"
# The text form of each notebook (*.py) and the graded-quiz key stay with the instructor.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py", "graded_key.yaml"]
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Generous per-cell limit: the first call into some moto services loads their models.
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120
