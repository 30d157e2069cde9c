"""New user show files' text for an import, written without tomlkit.

An import may create thousands of show files; tomlkit builds each about a hundred times
slower than plain string formatting. The text here has the header and layout of
`authoring.new_show_text` (the file a user gets from `tracker add`), plus the show's
`[ids]` table, so a later import finds the same show again. Strings are TOML basic
strings, escaped here; a test checks both writers give the same data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tracker_tui.domain.catalog.authoring import ShowDraft, show_header
from tracker_tui.domain.catalog.dates import PartialDate
from tracker_tui.domain.exchange.batch import ID_NAMES

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def toml_string(value: str) -> str:
    """`value` as a TOML basic string: quotes, backslashes and control characters escaped."""
    if _NEEDS_ESCAPE.search(value) is None:  # nearly every title
        return f'"{value}"'
    out = []
    for char in value:
        escaped = _ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char < " " or char == "\x7f":
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def show_text(
    show_id: str, draft: ShowDraft, ids: Mapping[str, str], header: str | None = None
) -> str:
    """The show file for `draft`, under `show_id`, with its external `ids` (ID_NAMES order).

    `header` is `authoring.show_header()`; an import makes it once for all its files.
    """
    header = show_header() if header is None else header
    lines = [f"# {line}" if line else "" for line in header.splitlines()]
    lines += ["", f"id = {toml_string(show_id)}", f"title = {toml_string(draft.title.strip())}"]
    lines.append(f"kind = {toml_string(draft.kind)}")
    if draft.year is not None:
        lines.append(f"year = {draft.year}")
    known = [(name, ids[name]) for name in ID_NAMES if name in ids]
    if known:
        lines += ["", "[ids]"]
        lines += [f"{name} = {toml_string(value)}" for name, value in known]
    for season in sorted(draft.seasons, key=lambda season: season.number):
        lines += ["", "[[seasons]]", f"number = {season.number}"]
        if season.episode_count is not None:
            lines.append(f"episode_count = {season.episode_count}")
        if season.episodes:
            lines.append("episodes = [")
            for episode in sorted(season.episodes, key=lambda episode: episode.number):
                parts = [f"number = {episode.number}"]
                title = (episode.title or "").strip()
                if title:
                    parts.append(f"title = {toml_string(title)}")
                if episode.air_date and episode.air_date.strip():
                    parts.append(
                        f"air_date = {toml_string(PartialDate.parse(episode.air_date).iso())}"
                    )
                lines.append("    {" + ", ".join(parts) + "},")
            lines.append("]")
    return "\n".join(lines) + "\n"
