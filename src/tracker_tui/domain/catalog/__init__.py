"""The cited catalog: shows, their release facts, notes, disputes and the sources they quote.

Independent of the user's progress (an import-linter contract keeps it so): the
catalog is the same for every user, and nothing here knows what anyone watched.
"""

__all__ = [
    "authoring",  # the user's own shows and facts: drafts, add, edit, remove (writes files)
    "cache",  # checked show files kept between starts, keyed on file stamps
    "calendar_feed",  # upcoming releases as an RFC 5545 (.ics) calendar, written by hand
    "citations",  # numbered sources for [1], [2] markers
    "dates",  # dates known to the year, month or day
    "disputes",  # claims that sources disagree on
    "drafts",  # a show as a form fills it in (ShowDraft...), checked field by field; ids
    "fields",  # the show format's field types and their rules (Text, Name, Slug, Rules)
    "loader",  # load_catalog, Catalog, find_show
    "models",  # the show format, declared once: the plain objects Show, Season, Note, ...
    "problems",  # what went wrong in a file, where, and the fix
    "release",  # plain-language release status of seasons and shows
    "schema",  # checks files against the format with pydantic (imports pydantic)
    "sources",  # source documents and quote checks
    "text",  # control, invisible and direction characters; whitespace
    "toml_edit",  # a show or overlay file edited in place with tomlkit (comments kept)
    "upcoming",  # scheduled seasons and future air dates across shows, sorted (Release)
]
