"""Other trackers' exports in and out: reading them into one shape, matching and applying
them to the catalog and progress, and writing progress back out in their formats.

Each reader turns its format into an `ImportBatch` (`batch.py`) and knows nothing of the
catalog or progress; `plan.py` matches a batch against them and `apply.py` writes it, all
or nothing. Nothing here is on the path of any other command.
"""

__all__ = [
    "apply",  # apply_import: write a plan, all or nothing; recover an interrupted one
    "batch",  # ImportBatch: the shows, viewings, ratings and statuses an export holds
    "export_result",  # ExportResult: what an export writer returns
    "plan",  # plan_import: match a batch to the catalog and work out the changes
    "show_text",  # new show files' text, quick enough for thousands
    "source",  # ImportSource: a file, a folder, a .zip or a .gz, read safely
]
