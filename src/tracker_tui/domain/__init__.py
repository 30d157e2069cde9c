"""The domain: everything tracker knows, with no user interface.

Two independent halves and what joins them (ARCHITECTURE.md draws the layers):

- `catalog`: the cited shows, their sources and the show file format;
- `progress`: the user's watch records, their merge and the progress file;
- `watching`: what needs both: episode specs, next up, spoilers, the editing session;

and the shared modules under all three: `clock`, `paths`, `files` and `settings`.
Packages name their public modules in `__all__` and import none of them eagerly, so
importing a package costs nothing and a command loads only the modules it uses.
"""

__all__ = ["catalog", "clock", "files", "paths", "progress", "settings", "watching"]
