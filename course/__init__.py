"""Support package for the AIP-C01 hands-on course.

Import submodules directly (``from course import sandbox``); this module imports
nothing so that a notebook's first cell stays fast.
"""

__version__ = "0.1.0"
