"""The results as Markdown: each figure's median and min-max per data set, next to its target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from summary import Summary

BUNDLED = "bundled data"
SYNTHETIC = "synthetic library"
IMPORTED = "imported library"
RICH = "rich library"
HEAVY_LIBRARIES = (SYNTHETIC, IMPORTED, RICH)
LIBRARIES = (BUNDLED, *HEAVY_LIBRARIES)
COLUMNS = {
    BUNDLED: "Bundled data",
    SYNTHETIC: "Synthetic library",
    IMPORTED: "Imported library",
    RICH: "Rich library",
}

Figures = Mapping[str, Summary]
"""One library's figures by name, e.g. "first_paint.ratio" or "key.space"."""


@dataclass(frozen=True)
class Target:
    """An upper bound the median must stay under (issue 16, and issue 14 for the stats
    screen after a change)."""

    limit: float
    text: str

    def cell(self, figure: Summary) -> str:
        return f"{self.text} {'pass' if figure.median <= self.limit else '**FAIL**'}"


@dataclass(frozen=True)
class Row:
    name: str
    label: str
    digits: int = 0
    targets: Mapping[str, Target] | None = None
    optional: bool = False
    """Left out of the table when no library has the figure."""


def _ratio(limit: float) -> Target:
    return Target(limit, f"<= {limit:g}")


def _ms(limit: float) -> Target:
    return Target(limit, f"<= {limit:g} ms")


def _split(bundled: Target | None, heavy: Target | None) -> dict[str, Target]:
    """One target for the bundled data, one for each heavy library."""
    targets = {BUNDLED: bundled} if bundled else {}
    if heavy:
        targets.update(dict.fromkeys(HEAVY_LIBRARIES, heavy))
    return targets


KEY_TARGETS = _split(_ms(16), _ms(33))
KEY_OWN_TARGETS = {
    "t after a change": _split(_ms(150), _ms(150)),
    "h after a change": {},
}
"""Keys with targets of their own: the stats screen counting again after a change
(issue 14); the history read again after one has none (shown for comparison)."""
KEY_NAMES = {
    "/ then a letter": "`/` then a letter",
    "t": "`t` (stats screen, reopened, nothing changed)",
    "h": "`h` (history screen, reopened, nothing changed)",
    "t after a change": "`t` (stats screen, after a mark: counted again)",
    "h after a change": "`h` (history screen, after a mark: read again)",
}

ROWS_BEFORE_KEYS = (
    Row("first_paint.tracker", "Time to first paint, tracker (ms)"),
    Row("first_paint.bare", "Time to first paint, bare app (ms)"),
    Row(
        "first_paint.ratio",
        "Time to first paint, ratio tracker/bare",
        2,
        _split(_ratio(1.25), _ratio(1.5)),
    ),
    Row("rss.tracker", "Peak RSS, tracker (MiB)", 1, _split(None, Target(150, "<= 150 MiB"))),
    Row("rss.bare", "Peak RSS, bare app (MiB)", 1),
    Row("rss.ratio", "Peak RSS, ratio tracker/bare", 2, _split(_ratio(1.3), None)),
)
ROWS_AFTER_KEYS = (
    Row("save", "One save of progress.json (ms)", 1, _split(_ms(5), _ms(50))),
    Row("next", "`tracker next --json`, whole process (ms)", 0, _split(_ms(150), _ms(300))),
    Row(
        "next.first",
        "`tracker next --json`, first run in the data folder: the first start after "
        "writing the library (ms)",
    ),
    Row("shows", "`tracker shows --json`, whole process (ms)", 0, _split(_ms(200), _ms(500))),
    Row("shows.first", "`tracker shows --json`, first run, after `next`'s (ms)"),
)


def rows(keys: Sequence[str]) -> list[Row]:
    """Every row, with one pair per key: the target figure, then the settled one."""
    key_rows = []
    for key in keys:
        name = KEY_NAMES.get(key, f"`{key}`")
        targets = KEY_OWN_TARGETS.get(key, KEY_TARGETS)
        key_rows.append(Row(f"key.{key}", f"Key {name}: press to screen updated (ms)", 1, targets))
        key_rows.append(Row(f"settled.{key}", f"Key {name}: press to last frame (ms)", 1))
        key_rows.append(
            Row(f"first.{key}", f"Key {name}: first press after start (ms)", 1, optional=True)
        )
    return [*ROWS_BEFORE_KEYS, *key_rows, *ROWS_AFTER_KEYS]


def format_figure(figure: Summary, digits: int) -> str:
    if figure.runs == 1:
        return f"{figure.median:.{digits}f}"
    return f"{figure.median:.{digits}f} ({figure.low:.{digits}f}–{figure.high:.{digits}f})"


def table(figures: Mapping[str, Figures], keys: Sequence[str]) -> str:
    """One row per figure; per library (those in `figures`, in LIBRARIES' order) its
    figure and its target with pass or FAIL."""
    libraries = [library for library in LIBRARIES if library in figures]
    head = " | ".join(f"{COLUMNS[library]} | Target" for library in libraries)
    lines = [f"| Figure | {head} |", "| --- |" + " --- | --- |" * len(libraries)]
    for row in rows(keys):
        if row.optional and not any(row.name in figures[library] for library in libraries):
            continue
        cells = [row.label]
        for library in libraries:
            figure = figures[library].get(row.name)
            target = (row.targets or {}).get(library)
            cells.append(format_figure(figure, row.digits) if figure else "not measured")
            cells.append(target.cell(figure) if target and figure else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def import_table(seconds: Summary, mib: Summary) -> str:
    """`tracker import` of the generated Trakt export, with issue 13's targets."""
    time_target = Target(10, "<= 10 s")
    memory_target = Target(300, "<= 300 MiB")
    return "\n".join(
        [
            "| Import of a generated Trakt export | Figure | Target |",
            "| --- | --- | --- |",
            f"| Whole process (s) | {format_figure(seconds, 1)} | {time_target.cell(seconds)} |",
            f"| Peak RSS (MiB) | {format_figure(mib, 1)} | {memory_target.cell(mib)} |",
        ]
    )


def document(header: Sequence[tuple[str, str]], body: str, notes: Sequence[str]) -> str:
    """The whole RESULTS.md: what was measured on, the table, then notes."""
    lines = ["# Benchmark results", ""]
    lines += [f"- **{name}:** {value}" for name, value in header]
    lines += [
        "",
        body,
        "",
        "Each cell is the median (min–max) over the runs; a target is met when the median is",
        "within it. `benchmarks/README.md` says what each figure measures and how.",
    ]
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n"
