"""The user's progress: watch records, their merge, and the progress file on disk.

Independent of the catalog (an import-linter contract keeps it so): records are
keyed by stable ids, so progress outlives any change to the shows it refers to.
"""

__all__ = [
    "format",  # the progress file's format: version 2 (and 1, upgraded), readers, writer
    "model",  # the parts: Viewing, Mark, EpisodeState, ShowState, and their merges
    "records",  # Progress, its merge, the changes a user makes and their undo
    "store",  # ProgressStore: locked, atomic, merging saves; backups
]
