"""The user's progress: watch records, their merge, and the progress file on disk.

Independent of the catalog (an import-linter contract keeps it so): records are
keyed by stable ids, so progress outlives any change to the shows it refers to.
"""

__all__ = [
    "format",  # the progress file's format: version, readers, writer
    "records",  # EpisodeKey, EpisodeRecord, Progress and the merge
    "store",  # ProgressStore: locked, atomic, merging saves; backups
]
