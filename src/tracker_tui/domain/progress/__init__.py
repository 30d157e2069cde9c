"""The user's progress: watch records, their merge, and the progress file on disk.

Independent of the catalog (an import-linter contract keeps it so): records are
keyed by stable ids, so progress outlives any change to the shows it refers to.
"""

__all__ = [
    "check_memo",  # what is known of the file's bytes: whole, written by us (cache folder)
    "conflicts",  # sync tools' conflict copies of the file: found by name, merged, filed away
    "fast_reader",  # msgspec reads a good version 2 file, each show built on first use
    "format",  # the progress file's format: version 2, the careful reader, the writer
    "history_index",  # every viewing newest first, kept up to date show by show
    "loading",  # ProgressFile: the file read for use, no lock (all a read-only command needs)
    "location",  # where the progress file is (nothing read: the summary needs only that)
    "model",  # the parts: Viewing, Mark, EpisodeState, ShowState, and their merges
    "reading",  # what the readers share: errors, times, numbers, ids, repeated keys
    "records",  # Progress, its merge, the changes a user makes and their undo
    "store",  # ProgressStore: locked, atomic, merging saves; backups
    "time_reach",  # whether a file holds times the clock has yet to catch up with
    "version1",  # version 1 of the file, read to be upgraded
]
