"""Running the course as a class: parallel grading, late policy, hub set-up and item analytics.

Modules (each has one job; nothing runs at import time):

- ``late``: the late-submission penalty plugin for nbgrader (capped points per hour);
- ``files``: folders <-> ``{relative path: bytes}`` maps, so work can travel to remote workers;
- ``nbconfig``: the nbgrader configuration a course would see on the command line;
- ``rows``: the rows autograde writes to a gradebook, read from one and written to another;
- ``worker``: what a Dask worker does: autograde one submission in a private scratch course;
- ``grade``: the driver and CLI (``python -m course.classroom.grade``);
- ``hub``: the JupyterHub spawn hook that gives each student the course;
- ``student_env``: the students' own environment (the ``course`` package from a wheel);
- ``feedback``: feedback without hidden tests or the graded quiz's key (``reveal_answers``);
- ``stats`` and ``analytics``: per-item statistics across a class, CSV and plots.
"""
