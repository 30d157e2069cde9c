"""What a user's progress means for the catalog's shows: the layer that needs both halves.

Episode specs (`s1e3`), which episodes a season offers and which is next, spoilers,
and the editing session behind the app's keys and `tracker watch`.
"""

__all__ = [
    "episode_specs",  # parse what users type: s1e3, s1e1-5, s1, next
    "episodes",  # season_episodes (offered, counted, upcoming), next, status, orphans
    "session",  # toggles, mark-up-to and undo over progress
    "source_spoilers",  # a source's spoiler passages folded, its paragraphs laid out
    "spec_hint",  # SPEC_HINT: how to write an episode spec, for help texts
    "spoilers",  # which notes the user has watched far enough to see
    "stats",  # compute_stats: a year heatmap, totals, streaks, ratings, stalled shows
    "summary",  # what `next` and `shows` print per show, kept in cache/summary.json
    "summary_build",  # that summary worked out from the catalog and progress
]
