"""Khmer + English full-text search on SQLite (FTS5) and PostgreSQL (tsvector + GIN), behind one interface.

Neither engine segments Khmer, so we index tokens we make ourselves:

* **Latin words**, case-folded; a Latin query word matches as a prefix ("driv" finds "drivers");
* **Khmer syllables and syllable pairs**: every orthographic syllable (KCC, cut by khmercut) of a Khmer run, and
  every pair of adjacent syllables. A Khmer query of one syllable matches that syllable; a longer one matches
  when all its adjacent pairs are in the document. So a Khmer word is found inside a longer unspaced phrase
  however the text was written, with plain terms: no positions and no phrase queries, which made every
  broad search re-read every matching document.

A record is indexed as an `Entry`: its **title** (what it is called: title, occupation, employer …), its
**body** (everything else), **tags** (exact filter values, such as a province code) and a **sort key** (newest
first). Title tokens are indexed twice, once under a prefix, so "matches in the title" is one more index
lookup. Tags are terms too, so a filtered search and its count are answered by the index alone.

Relevance is in two tiers, newest first within each: records whose title holds every query term, then the
rest. It is cheap (two index lookups, never a score for every match) and easy to explain to a user.

Each indexed model gets side tables named after its table (`<table>_fts`), written by `TextIndex.update()`
inside the caller's transaction:

* SQLite: an FTS5 table without positions (`detail=none`) whose rowid is the sort key, and `<table>_fts_keys`
  mapping a record to its key;
* PostgreSQL: one table (record id, sort key, `tsvector`) with a GIN index on the document and a b-tree on
  the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

from openpes.lib.khmer import KHMER_DIGITS, KHMER_SIGNS, normalize

M = TypeVar("M", bound=Model)

_KHMER_RUN = re.compile(r"[\u1780-\u17ff]+")
_KHMER_CHARS = "".join(chr(code) for code in range(0x1780, 0x1800))
# What one index term may hold: letters, digits, Khmer and "_" (FTS5's tokenizer is told the same).
_NOT_TERM = re.compile(r"[^\w\u1780-\u17ff]+")
TITLE = "_t"  # prefix of the second copy of each title token
TAG = "_f"  # prefix of tags
MAX_TERMS = 32
KEY_BITS = 22  # sort key = sort value << KEY_BITS | (id & mask): unique unless two ids 4M apart share a value


def _terms(text: str) -> list[str]:
    """Case-folded terms; none starts with "_", the prefix of title copies and tags."""
    return [term for t in _NOT_TERM.split(text.casefold()) if (term := t.lstrip("_"))]


def _prepare(text: str) -> str:
    return normalize(text).translate(KHMER_DIGITS)


def _syllables(run: str) -> list[str]:
    """The orthographic syllables of one normalised Khmer run."""
    from khmercut import seg_kcc

    out: list[str] = []
    for cluster in seg_kcc(run):
        cluster = cluster.strip().strip(KHMER_SIGNS)
        if cluster and _KHMER_RUN.fullmatch(cluster):
            out.append(cluster)
    return out


def _tokens(prepared: str) -> set[str]:
    out: set[str] = set()
    for part in _KHMER_RUN.split(prepared):  # Latin words (and digits) between Khmer runs
        out.update(_terms(part))
    for run in _KHMER_RUN.findall(prepared):
        syllables = _syllables(run)
        out.update(syllables)
        out.update(a + b for a, b in zip(syllables, syllables[1:], strict=False))
    return out


def tokens(text: str) -> set[str]:
    """Every index term of `text`: Latin words, Khmer syllables and pairs of adjacent syllables."""
    return _tokens(_prepare(text))


def tag(name: str, value: object) -> str:
    """A filter tag: an exact term no text can produce ("province" + "12" → "_fprovince12")."""
    return TAG + "".join(_terms(f"{name}{value}"))


@dataclass(frozen=True)
class Term:
    token: str
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """What a search asks for: every term (text) and every tag (filters) must be in the record."""

    terms: tuple[Term, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms and not self.tags


def parse_query(text: str, tags: Iterable[str] = ()) -> Query:
    """A Latin word is a prefix term; a Khmer run is its syllable pairs (or its one syllable)."""
    terms: list[Term] = []
    for part in re.split(r"([\u1780-\u17ff]+)", _prepare((text or "")[:200])):
        if _KHMER_RUN.fullmatch(part):
            syllables = _syllables(part)
            pairs = [a + b for a, b in zip(syllables, syllables[1:], strict=False)]
            terms.extend(Term(token) for token in (pairs or syllables))
        else:
            terms.extend(Term(word, prefix=True) for word in _terms(part))
    unique = list(dict.fromkeys(terms))[:MAX_TERMS]
    return Query(terms=tuple(unique), tags=tuple(dict.fromkeys(tags)))


@dataclass(frozen=True)
class Entry:
    """What is indexed for one record."""

    title: str
    body: str = ""
    tags: Sequence[str] = ()
    sort_value: int | None = None  # higher first (e.g. a publication time); None: the record id
    listed: bool = True  # False: found by `filter()` (staff lists) but never by `search(listed_only=True)`

    def document(self) -> list[str]:
        title = tokens(self.title)
        return sorted(title | tokens(self.body) | {TITLE + t for t in title} | set(self.tags))

    def key(self, pk: int) -> int:
        """The record's place in the index, newest highest; unlisted records get negative keys, so "listed
        only" is a range of keys rather than one more term that would be in nearly every document."""
        key = pk if self.sort_value is None else (self.sort_value << KEY_BITS) | (pk & ((1 << KEY_BITS) - 1))
        return key if self.listed else -key


def since_key(sort_value: int) -> int:
    """The lowest key of records whose sort value is at least `sort_value`."""
    return sort_value << KEY_BITS


@dataclass(frozen=True)
class Found:
    """One page of a search: record ids in order, and how many records match (`capped`: more than `total`)."""

    ids: list[int]
    total: int
    capped: bool = False


# ------------------------------------------------------------------------------------------------ SQLite FTS5


def _fts5_term(term: Term, namespace: str = "") -> str:
    return f'"{namespace}{term.token}"' + ("*" if term.prefix else "")


def fts5_match(query: Query, *, title: bool | None = None) -> str:
    """The MATCH expression: tags and terms; `title=True` only title matches, `False` only the others."""
    parts = [f'"{t}"' for t in query.tags] + [_fts5_term(t) for t in query.terms]
    expression = " AND ".join(parts)
    if title is None or not query.terms:
        return expression
    in_title = " AND ".join(_fts5_term(t, TITLE) for t in query.terms)
    return f"{expression} AND {in_title}" if title else f"({expression}) NOT ({in_title})"


# ------------------------------------------------------------------------------------------------ PostgreSQL


def _lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "") + "'"


def tsvector_literal(entry_document: Iterable[str]) -> str:
    return " ".join(_lexeme(token) for token in entry_document)


def _ts_term(term: Term, namespace: str = "") -> str:
    return _lexeme(namespace + term.token) + (":*" if term.prefix else "")


def tsquery_literal(query: Query, *, title: bool | None = None) -> str:
    parts = [_lexeme(t) for t in query.tags] + [_ts_term(t) for t in query.terms]
    expression = " & ".join(parts)
    if title is None or not query.terms:
        return expression
    in_title = " & ".join(_ts_term(t, TITLE) for t in query.terms)
    return f"{expression} & {in_title}" if title else f"{expression} & !({in_title})"


# ------------------------------------------------------------------------------------------------ the index


class TextIndex:
    """The full-text index of one model. `source(ids)` returns {id: Entry} for a batch; records missing from
    it are not indexed."""

    def __init__(self, model_label: str, source: Callable[[Iterable[int]], dict[int, Entry]]) -> None:
        self.model_label = model_label
        self.source = source

    @property
    def model(self) -> type[Model]:
        from django.apps import apps

        return apps.get_model(self.model_label)

    @property
    def table(self) -> str:
        return f"{self.model._meta.db_table}_fts"

    @property
    def keys_table(self) -> str:
        return f"{self.table}_keys"

    # -- schema (called from migrations) --

    def create_sql(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            return [
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5(doc, detail=none, "
                f"tokenize=\"unicode61 remove_diacritics 0 tokenchars '_{_KHMER_CHARS}'\")",
                f"CREATE TABLE IF NOT EXISTS {self.keys_table} (id INTEGER PRIMARY KEY, key INTEGER NOT NULL UNIQUE)",
            ]
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table} (id bigint PRIMARY KEY, key bigint NOT NULL, "
            "doc tsvector NOT NULL)",
            # Without the pending list, every search reads the index alone (vacancies change a few at a time).
            f"CREATE INDEX IF NOT EXISTS {self.table}_doc ON {self.table} USING gin (doc) WITH (fastupdate = off)",
            f"CREATE INDEX IF NOT EXISTS {self.table}_key ON {self.table} (key)",
        ]

    def drop_sql(self, vendor: str) -> list[str]:
        return [f"DROP TABLE IF EXISTS {self.table}", f"DROP TABLE IF EXISTS {self.keys_table}"]

    # -- writing --

    def update(self, pks: Iterable[int]) -> None:
        """(Re)index these records; records that no longer exist (or that `source` leaves out) are removed."""
        pks = list(dict.fromkeys(pks))
        # A few hundred at a time: each batch is read, segmented and written in one go.
        for start in range(0, len(pks), 200):
            batch = pks[start : start + 200]
            self._write(batch, self.source(batch))

    def _write(self, batch: list[int], entries: dict[int, Entry]) -> None:
        entries = {pk: entries[pk] for pk in batch if pk in entries}
        placeholders = ",".join(["%s"] * len(batch))
        with connection.cursor() as cursor:
            if connection.vendor != "sqlite":
                cursor.execute(f"DELETE FROM {self.table} WHERE id IN ({placeholders})", batch)
                cursor.executemany(
                    f"INSERT INTO {self.table} (id, key, doc) VALUES (%s, %s, %s::tsvector)",
                    [(pk, e.key(pk), tsvector_literal(e.document())) for pk, e in entries.items()],
                )
                return
            cursor.execute(
                f"DELETE FROM {self.table} WHERE rowid IN (SELECT key FROM {self.keys_table} "
                f"WHERE id IN ({placeholders}))",
                batch,
            )
            cursor.execute(f"DELETE FROM {self.keys_table} WHERE id IN ({placeholders})", batch)
            keys = {pk: entry.key(pk) for pk, entry in entries.items()}
            if not keys:
                return
            marks = ",".join(["%s"] * len(keys))
            cursor.execute(f"SELECT key FROM {self.keys_table} WHERE key IN ({marks})", [*keys.values()])
            taken = {row[0] for row in cursor.fetchall()}
            for pk, entry in entries.items():
                # A key built from a sort value collides when two records share it and their ids are 4M apart (a
                # key that is the id itself cannot): step down to a free key.
                while entry.sort_value is not None and keys[pk] in taken:
                    keys[pk] -= 1
                    cursor.execute(f"SELECT key FROM {self.keys_table} WHERE key = %s", [keys[pk]])
                    taken.update(row[0] for row in cursor.fetchall())
                taken.add(keys[pk])
            cursor.executemany(f"INSERT INTO {self.keys_table} (id, key) VALUES (%s, %s)", list(keys.items()))
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, doc) VALUES (%s, %s)",
                [(keys[pk], " ".join(entry.document())) for pk, entry in entries.items()],
            )

    def rebuild(self, batch_size: int = 200) -> int:
        """Index every record again (after a change to the indexing rules, or on a new installation)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")
            if connection.vendor == "sqlite":
                cursor.execute(f"DELETE FROM {self.keys_table}")
            else:  # building a GIN index once is much faster than growing it a document at a time
                cursor.execute(f"DROP INDEX IF EXISTS {self.table}_doc")
        ids = list(self.model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            self.update(ids[start : start + batch_size])
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                for statement in self.create_sql(connection.vendor):
                    cursor.execute(statement)
        return len(ids)

    # -- querying --

    def _matching_ids_sql(self, query: Query, title: bool | None = None) -> tuple[str, list[Any]]:
        if connection.vendor == "sqlite":
            return (
                f"SELECT k.id FROM {self.keys_table} k WHERE k.key IN "
                f"(SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s)",
                [fts5_match(query, title=title)],
            )
        return f"SELECT id FROM {self.table} WHERE doc @@ %s::tsquery", [tsquery_literal(query, title=title)]

    def filter(self, queryset: QuerySet[M], text: str) -> QuerySet[M]:
        """Keep records of `queryset` matching `text`, annotated with `search_rank`: 1 when every term is in the
        title, else 0. For staff lists (already scoped and small); the public search uses `search()`."""
        query = parse_query(text)
        if query.empty:
            return queryset.extra(select={"search_rank": "0"})
        pk = f"{queryset.model._meta.db_table}.{queryset.model._meta.pk.column}"
        matching, params = self._matching_ids_sql(query)
        in_title, title_params = self._matching_ids_sql(query, title=True)
        return queryset.extra(
            where=[f"{pk} IN ({matching})"],
            params=params,
            select={"search_rank": f"CASE WHEN {pk} IN ({in_title}) THEN 1 ELSE 0 END"},
            select_params=title_params,
        )

    def search(
        self,
        text: str,
        *,
        tags: Iterable[str] = (),
        min_key: int | None = None,
        listed_only: bool = False,
        exclude: Sequence[int] = (),
        relevance: bool = True,
        offset: int = 0,
        limit: int = 20,
        cap: int | None = None,
        total: int | None = None,
        capped: bool = False,
    ) -> Found:
        """One page of records matching `text` and every tag, newest key first (by relevance: title matches
        first). `min_key` drops older records, `listed_only` unlisted ones, `exclude` these ids. With `cap`,
        counting stops past it; a `total` already known (an earlier page of the same search, `capped` or not)
        is not counted again."""
        query = parse_query(text, tags)
        if listed_only:
            min_key = max(1, min_key or 1)
        runner = _SqliteRun if connection.vendor == "sqlite" else _PostgresRun
        run = runner(self, min_key, exclude)
        try:
            if total is None:
                total = run.count(query, None, cap)
                capped = cap is not None and total > cap
                total = min(total, cap) if cap is not None else total
            else:
                run.counts[None] = total + 1 if capped else total  # capped: more than `total` match
            return self._page(run, query, relevance, offset, limit, total, capped)
        finally:
            run.close()

    @staticmethod
    def _page(run: _Run, query: Query, relevance: bool, offset: int, limit: int, total: int, capped: bool) -> Found:
        if limit <= 0 or offset >= total:
            return Found([], total, capped)
        limit = min(limit, total - offset)
        if not relevance or not query.terms:
            return Found(run.page(query, None, offset, limit), total, capped)
        # Title matches first. Past the first page, how many there are decides where this page starts.
        in_title = run.count(query, True, offset + limit) if offset else limit
        ids = run.page(query, True, offset, limit) if offset < in_title else []
        if len(ids) < limit:
            if ids or not offset:  # the title matches end on this page
                in_title = offset + len(ids)
            ids += run.page(query, False, max(0, offset - in_title), limit - len(ids))
        return Found(ids, total, capped)


class _Run:
    """One search against one engine: `count` and `page` of all matches (`title=None`), of the title matches
    (`True`) or of the others (`False`). `counts` keeps what is known: a count over `FEW` means "many"."""

    FEW = 1000  # up to this many matches, a page is read from the text index and sorted

    def __init__(self, index: TextIndex) -> None:
        self.index = index
        self.where = ""  # conditions on the key range and excluded records, after the text condition
        self.params: list[Any] = []
        self.counts: dict[bool | None, int] = {}

    def count(self, query: Query, title: bool | None, cap: int | None) -> int:
        raise NotImplementedError

    def page(self, query: Query, title: bool | None, offset: int, limit: int) -> list[int]:
        raise NotImplementedError

    def close(self) -> None:
        """Put back anything the run changed on the connection."""


class _SqliteRun(_Run):
    """FTS5 answers every part (terms, tags, key range) from the index and walks it newest first."""

    def __init__(self, index: TextIndex, min_key: int | None, exclude: Sequence[int]) -> None:
        super().__init__(index)
        if min_key is not None:
            self.where += " AND rowid >= %s"
            self.params.append(min_key)
        if exclude:
            with connection.cursor() as cursor:
                placeholders = ",".join(["%s"] * len(exclude))
                cursor.execute(f"SELECT key FROM {index.keys_table} WHERE id IN ({placeholders})", list(exclude))
                keys = [row[0] for row in cursor.fetchall()]
            if keys:
                self.where += f" AND rowid NOT IN ({','.join(['%s'] * len(keys))})"
                self.params += keys

    def _where(self, query: Query, title: bool | None) -> tuple[str, list[Any]]:
        if query.empty:  # every record (in the key range)
            return "1" + self.where, self.params
        return f"{self.index.table} MATCH %s{self.where}", [fts5_match(query, title=title), *self.params]

    def count(self, query: Query, title: bool | None, cap: int | None) -> int:
        where, params = self._where(query, title)
        limit = f" LIMIT {int(cap) + 1}" if cap is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT rowid FROM {self.index.table} WHERE {where}{limit})", params)
            return int(cursor.fetchone()[0])

    def page(self, query: Query, title: bool | None, offset: int, limit: int) -> list[int]:
        where, params = self._where(query, title)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT k.id FROM (SELECT rowid AS key FROM {self.index.table} WHERE {where} "
                f"ORDER BY rowid DESC LIMIT %s OFFSET %s) f JOIN {self.index.keys_table} k ON k.key = f.key "
                "ORDER BY f.key DESC",
                [*params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]


class _PostgresRun(_Run):
    """GIN answers the terms; the key is a b-tree. A document is large (stored out of line), so testing one
    row against the query is costly: the plan must never test rows one by one except when walking the newest
    rows of a broad search, which finds a page within a few dozen rows. Counting (at most `cap` + 1) always
    uses the GIN index; a page uses it too when the count shows few matches, and walks the key otherwise."""

    def __init__(self, index: TextIndex, min_key: int | None, exclude: Sequence[int]) -> None:
        super().__init__(index)
        self.plan: str | None = None
        if min_key is not None:
            self.where += " AND key >= %s"
            self.params.append(min_key)
        if exclude:
            self.where += " AND id <> ALL(%s)"
            self.params.append(list(exclude))

    _PLANS = {  # which scans the planner may use: the GIN index, or the key index walked newest first
        "gin": {"enable_seqscan": "off", "enable_indexscan": "off", "enable_bitmapscan": "on"},
        "walk": {"enable_seqscan": "off", "enable_indexscan": "on", "enable_bitmapscan": "off"},
    }

    def _run(self, sql: str, params: list[Any], *, use_gin: bool) -> list[tuple[Any, ...]]:
        plan = "gin" if use_gin else "walk"
        with connection.cursor() as cursor:
            if plan != self.plan:
                settings = self._PLANS[plan]
                cursor.execute(
                    "SELECT " + ", ".join("set_config(%s, %s, false)" for _ in settings),
                    [item for pair in settings.items() for item in pair],
                )
                self.plan = plan
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def close(self) -> None:
        """Back to PostgreSQL's default plan settings (a failed transaction rolls them back by itself)."""
        if self.plan is not None:
            with connection.cursor() as cursor:
                defaults = ", ".join(f"set_config('{name}', 'on', false)" for name in self._PLANS["gin"])
                cursor.execute(f"SELECT {defaults}")
            self.plan = None

    def _where(self, query: Query, title: bool | None) -> tuple[str, list[Any]]:
        if query.empty:  # every record (in the key range)
            return "true" + self.where, self.params
        return f"doc @@ %s::tsquery{self.where}", [tsquery_literal(query, title=title), *self.params]

    def count(self, query: Query, title: bool | None, cap: int | None) -> int:
        where, params = self._where(query, title)
        limit = f" LIMIT {int(cap) + 1}" if cap is not None else ""
        rows = self._run(
            f"SELECT count(*) FROM (SELECT 1 FROM {self.index.table} WHERE {where}{limit}) f",
            params,
            use_gin=not query.empty,
        )
        found = int(rows[0][0])
        if cap is None or found <= cap:
            self.counts[title] = found
        elif cap >= self.FEW:
            self.counts[title] = cap + 1  # many: pages walk the key
        return found

    def page(self, query: Query, title: bool | None, offset: int, limit: int) -> list[int]:
        many = self.FEW + 1
        if title is False and self.counts.get(None, many) <= self.FEW and True in self.counts:
            self.counts[False] = self.counts[None] - self.counts[True]
        # A part of a search with few matches has few matches too.
        few = self.counts.get(None, many) <= self.FEW
        if not few:
            if title not in self.counts:
                self.count(query, title, self.FEW)
            few = self.counts.get(title, many) <= self.FEW
        where, params = self._where(query, title)
        rows = self._run(
            f"SELECT id FROM {self.index.table} WHERE {where} ORDER BY key DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
            use_gin=few and not query.empty,
        )
        return [row[0] for row in rows]


def index_operations(index: TextIndex) -> Any:
    """A migration operation creating (and on reverse, dropping) the side tables for `index`."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        for statement in index.create_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for statement in index.drop_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards)


def rebuild_operations(index: TextIndex) -> Any:
    """A migration operation that recreates the side tables for new indexing rules and indexes every record
    again. It reads records through today's models: on a database with records, run it before later migrations
    change those models (as `migrate` does, in order)."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for statement in [*index.drop_sql(vendor), *index.create_sql(vendor)]:
            schema_editor.execute(statement)
        if index.model._default_manager.exists():
            index.rebuild()

    return migrations.RunPython(forwards, migrations.RunPython.noop)
