"""An episode row's title is wrapped only when it must be: a title that fits is laid out
as wrapping it would lay it out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from tracker_tui.tui.widgets.show_pane import _measuring_console, lay_out_row

# Titles as show files and imports give them: words of letters (wide ones too), digits
# and punctuation, single or double spaces, a space at either end now and then.
WORD = st.text(alphabet=st.sampled_from("abcXYZ019'.,:-!?éß時間の東京 "), min_size=0, max_size=12)
TITLES = st.lists(WORD, max_size=6).map(" ".join)
STYLES = st.sampled_from(["", "dim", "bold", "dim italic"])


@st.composite
def styled_titles(draw: st.DrawFn) -> Text:
    title = Text(draw(TITLES), style=draw(STYLES))
    if title.plain and draw(st.booleans()):  # a part styled on its own, as a user's note
        start = draw(st.integers(0, len(title.plain) - 1))
        title.stylize("bold", start, draw(st.integers(start + 1, len(title.plain))))
    return title


def laid_out_by_wrapping(title: Text, room: int) -> list[Text]:
    return list(title.wrap(_measuring_console(), room, overflow="fold"))


@given(styled_titles(), st.integers(0, 30))
def test_a_title_that_fits_is_what_wrapping_gives(title: Text, spare: int) -> None:
    """What `lay_out_row` relies on to skip Rich's wrapping for most titles."""
    room = max(8, title.cell_len + spare)
    (line,) = laid_out_by_wrapping(title, room)
    assert (line.plain, line.spans, line.style) == (title.plain, title.spans, title.style)


@given(styled_titles(), st.integers(20, 90))
def test_rows_lay_out_alike_whether_the_title_fits_or_not(title: Text, width: int) -> None:
    """A row laid out at any width reads as its cells, each at its column, title wrapped
    under itself when it does not fit."""
    lead = [Text("  ✓", style="bold"), Text(" E3")]
    trailing = [(Text("2026-11-28", style="dim"), 10, False)]
    row = lay_out_row(lead, title, trailing, width)
    lines = row.plain.split("\n")
    indent = Text(" ").join(lead).cell_len + 1
    room = max(8, width - indent - 11)
    wrapped = laid_out_by_wrapping(title, room)
    assert len(lines) == max(1, len(wrapped))
    assert lines[0].endswith(" 2026-11-28")
