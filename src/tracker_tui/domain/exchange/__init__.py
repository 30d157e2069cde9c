"""Other trackers' exports in and out: reading them into one shape, matching and applying
them to the catalog and progress, and writing progress back out in their formats.

Each reader turns its format into an `ImportBatch` (`batch.py`) and knows nothing of the
catalog or progress; `plan.py` matches a batch against them and `apply.py` writes it, all
or nothing. Nothing here is on the path of any other command.
"""

__all__ = [
    "batch",  # ImportBatch: the shows, viewings, ratings and statuses an export holds
    "csv_format",  # tracker's CSV: its columns
    "csv_reader",  # tracker's CSV, read back
    "csv_writer",  # progress as tracker's CSV, a viewing a row
    "export_result",  # ExportResult: what a writer returns
    "mal_reader",  # MyAnimeList XML (plain or .gz), streamed, DTDs refused
    "mal_writer",  # progress as MyAnimeList XML, for MAL, AniList and Kitsu
    "source",  # ImportSource: a file, a folder, a .zip or a .gz, read safely
    "tabular",  # what the CSV and XML readers share: columns by name, times, scores
    "tvtime_reader",  # TV Time's GDPR export (CSV files in a folder or zip)
    "yamtrack_reader",  # Yamtrack's CSV export
]
