"""No bundled note says more than its quotes: every name, number and quoted phrase is cited.

The rule, for each note's text:
- a name is a run of capitalised words (`Lee Jae-kyoo`, `Hyosan High School`,
  `TOP`); a trailing possessive `'s` is dropped. A run that opens a sentence
  (the text's start, or after `.`, `!` or `?` and a space) loses its first
  word, which may be capitalised only because it opens the sentence;
- a number is a run of digits, with `.` or `,` between digit groups (`2.4`);
- a quoted phrase is anything between double quotes.
A quoted phrase must appear in one of the note's own quotes (capitals aside).
A name or number must appear, case-sensitive, there or in the show's cited
facts: its title and aliases, the values of country, platform and studio, the
source material's fields, each person's name, role and character, each name's
spellings, season numbers, episode counts and the dates of status reports.
Curly quotes and apostrophes count as straight ones.
"""

from __future__ import annotations

import re

import pytest

from tracker_tui.domain.catalog.loader import load_catalog
from tracker_tui.domain.catalog.models import Note, Show

_STRAIGHTEN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_WORD = re.compile(r"[^\s(),;:\"]+")
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_QUOTED = re.compile(r'"([^"]+)"')
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")


def straighten(text: str) -> str:
    return text.translate(_STRAIGHTEN)


def names_in(text: str) -> list[str]:
    """Runs of capitalised words, less a sentence's capitalised first word.

    A run ends at anything but a single space, at end punctuation and after a
    possessive, so `Netflix's Top 10` holds two names.
    """
    names: list[str] = []
    run: list[str] = []
    opens_sentence = False
    previous_end = 0

    def finish() -> None:
        words = run[1:] if opens_sentence else run
        if words:
            names.append(" ".join(words))
        run.clear()

    for match in _WORD.finditer(text):
        raw = match.group()
        word = raw.rstrip(".!?")
        possessive = word.endswith("'s")
        word = word.removesuffix("'s")
        if run and text[previous_end : match.start()] != " ":
            finish()
        if word[:1].isupper():
            if not run:
                opens_sentence = bool(_SENTENCE_START.search(text[: match.start()]))
            run.append(word)
        else:
            finish()
        if possessive or word != raw.removesuffix("'s"):
            finish()
        previous_end = match.end()
    finish()
    return names


def numbers_in(text: str) -> list[str]:
    return _NUMBER.findall(text)


def quoted_in(text: str) -> list[str]:
    return _QUOTED.findall(text)


def cited_facts(show: Show) -> list[str]:
    """The show's structured facts, each itself cited, as text a note may draw on."""
    facts = [show.title, *show.aliases]
    for fact in (show.country, show.platform, show.studio):
        if fact is not None:
            facts.append(fact.value)
    material = show.source_material
    if material is not None:
        facts += [material.title, material.medium, material.author or ""]
        facts += [material.original_title or "", material.started.iso() if material.started else ""]
    for person in show.people:
        facts += [person.name, person.role, person.character or ""]
    for spelling in show.spellings:
        facts += [spelling.name, spelling.variant]
    for season in show.seasons:
        facts += [str(season.number), str(season.episode_count or "")]
        for report in season.status:
            facts += [date.iso() for date in (report.on, report.expected) if date is not None]
    return [straighten(fact) for fact in facts if fact]


def unbacked_claims(note: Note, show: Show) -> list[str]:
    """Names, numbers and quoted phrases in the note's text that nothing behind it gives."""
    text = straighten(note.text)
    quotes = [straighten(ref.quote) for ref in note.sources]
    haystack = quotes + cited_facts(show)
    missing = []
    for name in names_in(text):
        if not any(name in hay for hay in haystack):
            missing.append(f"name {name!r}")
    for number in numbers_in(text):
        pattern = rf"(?<![0-9]){re.escape(number)}(?![0-9])"
        if not any(re.search(pattern, hay) for hay in haystack):
            missing.append(f"number {number!r}")
    for phrase in quoted_in(text):
        if not any(phrase.casefold() in quote.casefold() for quote in quotes):
            missing.append(f"quoted phrase {phrase!r}")
    return missing


def _whole_shows() -> list[Show]:
    catalog = load_catalog()
    return [show for outline in catalog.shows if (show := catalog.get(outline.id))]


BUNDLED = [(show, note) for show in _whole_shows() for note in show.notes]


@pytest.mark.parametrize(
    ("show", "note"), BUNDLED, ids=[f"{show.id}:{note.id}" for show, note in BUNDLED]
)
def test_every_name_number_and_quoted_phrase_of_a_note_is_cited(show: Show, note: Note) -> None:
    assert unbacked_claims(note, show) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Director Lee Jae-kyoo says so.", ["Lee Jae-kyoo"]),
        ("It stayed in Netflix's Top 10. Another review agrees.", ["Netflix", "Top"]),
        ("Fans met (Nam On-jo) and Cho Yi-hyun's Nam-ra.", ["Nam On-jo", "Cho Yi-hyun", "Nam-ra"]),
        ('A "zombie run challenge" in Hyosan High School', ["Hyosan High School"]),
    ],
)
def test_names_are_capitalised_runs_less_a_sentence_opener(text: str, names: list[str]) -> None:
    assert names_in(text) == names


def test_a_note_with_an_uncited_name_number_or_phrase_is_caught() -> None:
    show = load_catalog().get("kaiju-girl-caramelise")
    assert show is not None
    note = next(note for note in show.notes if note.id == "writer")
    broader = Note(
        note.id,
        note.topic,
        note.text + ' She also wrote Naruto in 2002, "a classic".',
        note.sources,
    )
    assert unbacked_claims(broader, show) == [
        "name 'Naruto'",
        "number '2002'",
        "quoted phrase 'a classic'",
    ]
