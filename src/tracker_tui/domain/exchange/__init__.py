"""Other trackers' exports in and out: reading them into one shape, matching and applying
them to the catalog and progress, and writing progress back out in their formats.

Each reader turns its format into an `ImportBatch` (`batch.py`) and knows nothing of the
catalog or progress; `plan.py` matches a batch against them and `apply.py` writes it, all
or nothing. Nothing here is on the path of any other command.
"""

__all__ = [
    "apply",  # apply_import: write a plan, all or nothing; recover an interrupted one
    "batch",  # ImportBatch: the shows, viewings, ratings and statuses an export holds
    "csv_format",  # tracker's CSV: its columns
    "csv_reader",  # tracker's CSV, read back
    "csv_writer",  # progress as tracker's CSV, a viewing a row
    "detect",  # which format an export is in (--from auto), and a --from that does not fit
    "export_result",  # ExportResult: what a writer returns
    "importing",  # an import from a path: read (format detected or checked), plan, report
    "json_support",  # times, ids and undecodable files, for the JSON readers
    "mal_reader",  # MyAnimeList XML (plain or .gz), streamed, DTDs refused
    "mal_writer",  # progress as MyAnimeList XML, for MAL, AniList and Kitsu
    "plan",  # plan_import: match a batch to the catalog and work out the changes
    "show_text",  # new show files' text, quick enough for thousands
    "simkl_reader",  # a Simkl backup
    "source",  # ImportSource: a file, a folder, a .zip or a .gz, read safely
    "tabular",  # what the CSV and XML readers share: columns by name, times, scores
    "trakt_reader",  # a Trakt export
    "trakt_writer",  # progress as Trakt's watched-history.json
    "tvtime_reader",  # TV Time's GDPR export (CSV files in a folder or zip)
    "yamtrack_reader",  # Yamtrack's CSV export
]
