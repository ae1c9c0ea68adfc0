"""Wagtail's database search backend, made safe for any text a visitor types.

Wagtail (through modelsearch) passes each search term to SQLite's FTS5 inside
double quotes without doubling a double quote in the term, so a search for
`"` or `a"b` was an FTS5 syntax error and a 500 on every search box: the
catalogue, site search and every admin listing. PostgreSQL refuses a NUL
character anywhere in a query. This backend rewrites the text of every query
before the database sees it:

- control and format characters (NUL, bidi overrides, zero-width marks)
  become spaces, on every database, and hyphens too (PostgreSQL's backend
  splits there anyway); the text is cut to its first 32 terms;
- on SQLite, a double quote is doubled, which FTS5 reads as a literal
  character inside the quoted term, so FTS5 operators (`NEAR(`, `word:`,
  `*`, `^`, AND/OR/NOT) are only ever searched for as text.

And on SQLite, a search limited to named fields (an admin listing's
`search_fields`, such as the question bank's title and stem) asked FTS5 for
a column of each field's name, but the index has only `title`, `body` and
`autocomplete` columns: every such search was "no such column". The named
fields are mapped to the columns that hold them.

The backend for each database is otherwise Wagtail's own, chosen as
`wagtail.search.backends.database` chooses it.
"""

import re
import unicodedata
from functools import cache

from django.db import connection
from modelsearch.backends.database import SearchBackend as wagtail_database_backend
from modelsearch.query import MATCH_NONE, And, Boost, Fuzzy, Not, Or, Phrase, PlainText

MAX_TERMS = 32
MAX_CHARACTERS = 500
INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def visible_text(text):
    """`text` with control, format and unassigned characters replaced by spaces."""
    return "".join(" " if unicodedata.category(ch) in INVISIBLE else ch for ch in str(text))


def safe_query_text(text, *, vendor):
    # Wagtail nests one expression per term, so 400 terms overflow Python's
    # recursion limit; PostgreSQL's backend splits terms at hyphens too.
    terms = [term for term in re.split(r"[\s\-]+", visible_text(text)) if term]
    text = " ".join(terms[:MAX_TERMS])[:MAX_CHARACTERS]
    if vendor == "sqlite":
        text = text.replace('"', '""')
    return text


def make_safe(query, *, vendor):
    """The search query (text or tree) with every piece of user text made safe.

    A query left blank matches nothing. Wagtail's own "nothing to search"
    result has no model, which its admin listings cannot show.
    """
    safe = _made_safe(query, vendor=vendor)
    return MATCH_NONE if safe is None else safe


def _made_safe(query, *, vendor):
    """As make_safe, with None for a query or part of one that is blank."""
    if isinstance(query, str):
        text = safe_query_text(query, vendor=vendor)
        return text if text.strip() else None
    if isinstance(query, PlainText | Phrase | Fuzzy):
        text = safe_query_text(query.query_string, vendor=vendor)
        if not text.strip():
            return None
        if isinstance(query, PlainText):
            return PlainText(text, operator=query.operator, boost=query.boost)
        if isinstance(query, Phrase):
            return Phrase(text)
        return Fuzzy(text, operator=query.operator, unaccent=query.unaccent)
    if isinstance(query, And | Or):
        subqueries = [_made_safe(sub, vendor=vendor) for sub in query.subqueries]
        subqueries = [sub for sub in subqueries if sub is not None]
        return type(query)(subqueries) if subqueries else None
    if isinstance(query, Not | Boost):
        subquery = _made_safe(query.subquery, vendor=vendor)
        if subquery is None:
            return None
        return Not(subquery) if isinstance(query, Not) else Boost(subquery, query.boost)
    return query


class FTS5Columns:
    """For SQLite's compilers: search the FTS5 columns that hold the named fields."""

    def fts5_columns(self, fields):
        # The indexer puts search fields named "title" in the title column,
        # the others in body, and every autocomplete field in autocomplete.
        columns = {"title" if name == "title" else "body" for name in fields}
        if "autocomplete" in self.FTS_TABLE_FIELDS:
            # As on PostgreSQL, a named field that is not an autocomplete field
            # is still searched (the question bank's stem).
            columns.add("autocomplete")
        return sorted(columns)

    def search(self, config, start, stop, score_field=None):
        named = self.fields
        if named:
            self.fields = self.fts5_columns(named)
        try:
            return super().search(config, start, stop, score_field=score_field)
        finally:
            self.fields = named


@cache
def _fts5_columns(compiler_class):
    return type(f"FTS5{compiler_class.__name__}", (FTS5Columns, compiler_class), {})


@cache
def _safe(backend_class):
    class SafeSearchBackend(backend_class):
        # The SQLite module can only be imported on SQLite (its index model).
        if backend_class.__name__ == "SQLiteSearchBackend":
            query_compiler_class = _fts5_columns(backend_class.query_compiler_class)
            autocomplete_query_compiler_class = _fts5_columns(
                backend_class.autocomplete_query_compiler_class
            )

        def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
            # Both search() and autocomplete() come through here.
            query = make_safe(query, vendor=connection.vendor)
            return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)

    SafeSearchBackend.__name__ = SafeSearchBackend.__qualname__ = f"Safe{backend_class.__name__}"
    return SafeSearchBackend


def SearchBackend(params):  # noqa: N802 - Wagtail looks the backend up by this name
    return _safe(type(wagtail_database_backend(params)))(params)
