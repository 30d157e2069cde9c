"""The cited catalog: shows, their release facts, notes, disputes and the sources they quote.

Independent of the user's progress (an import-linter contract keeps it so): the
catalog is the same for every user, and nothing here knows what anyone watched.
"""

__all__ = [
    "cache",  # checked show files kept between starts, keyed on file stamps
    "citations",  # numbered sources for [1], [2] markers
    "dates",  # dates known to the year, month or day
    "disputes",  # claims that sources disagree on
    "loader",  # load_catalog, Catalog, find_show
    "models",  # the plain domain objects: Show, Season, Note, ...
    "problems",  # what went wrong in a file, where, and the fix
    "release",  # plain-language release status of seasons and shows
    "schema",  # the show file format as pydantic models (imports pydantic)
    "sources",  # source documents and quote checks
    "text",  # control, invisible and direction characters; whitespace
]
