"""How to write an episode spec, in one line: apart from the parser (episode_specs.py),
so the command line's help can say it without importing the catalog's models."""

from __future__ import annotations

SPEC_HINT = "use s1e3 (an episode), s1e1-5 (a range), s1 (a whole season) or next"
