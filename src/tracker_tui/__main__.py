"""Allow `python -m tracker_tui`."""

from __future__ import annotations

from tracker_tui.cli.main import main

raise SystemExit(main())
