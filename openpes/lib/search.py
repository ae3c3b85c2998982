"""Khmer + English full-text search on SQLite (FTS5) and PostgreSQL (tsvector + GIN), behind one interface.

Neither engine segments Khmer, so we index what we segment ourselves, in two parts per document:

* **words** — `lib.khmer.search_tokens` (khmercut words, case-folded Latin words); Latin query words match
  as prefixes ("driv" finds "drivers");
* **clusters** — the sequence of Khmer orthographic syllables (KCCs). A Khmer query is also run as a phrase of
  its clusters, so a Khmer word is found inside a longer unspaced phrase even where the segmenter cut the
  document differently.

Each indexed model gets a side table `<model table>_fts` (an FTS5 virtual table on SQLite, a table with a
GIN-indexed tsvector on PostgreSQL), written by `TextIndex.update()` inside the caller's transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet

from openpes.lib.khmer import has_khmer, is_khmer, normalize, search_tokens

M = TypeVar("M", bound=Model)

_KHMER_CHARS = "".join(chr(code) for code in range(0x1780, 0x1800))
_KHMER_RUN = re.compile(r"[\u1780-\u17ff]+")
# Characters that could break out of a query literal; never part of a token we produce anyway.
_UNSAFE = str.maketrans("", "", "'\"\\:*&|!()<>")


def clusters(text: str) -> list[str]:
    """Khmer orthographic syllables of every Khmer run in `text` (Latin text has none)."""
    from khmercut import seg_kcc

    out: list[str] = []
    for run in _KHMER_RUN.findall(normalize(text)):
        out.extend(c for c in seg_kcc(run) if c.strip() and all(is_khmer(ch) for ch in c))
    return out


@dataclass(frozen=True)
class Document:
    words: list[str]
    clusters: list[str]


def document(text: str) -> Document:
    return Document(
        words=[w.translate(_UNSAFE) for w in search_tokens(text) if w.translate(_UNSAFE)],
        clusters=[c.translate(_UNSAFE) for c in clusters(text) if c.translate(_UNSAFE)],
    )


@dataclass(frozen=True)
class ParsedQuery:
    """A query as AND-ed parts; each part is a Latin word (prefix) or a Khmer run (words or cluster phrase)."""

    latin: list[str]
    khmer: list[tuple[list[str], list[str]]]  # (words, clusters) per Khmer run

    @property
    def empty(self) -> bool:
        return not self.latin and not self.khmer


def parse_query(text: str) -> ParsedQuery:
    text = normalize(text or "")[:200]
    latin: list[str] = []
    khmer: list[tuple[list[str], list[str]]] = []
    for token in re.split(r"([\u1780-\u17ff]+)", text):
        if not token.strip():
            continue
        if has_khmer(token):
            words = [w.translate(_UNSAFE) for w in search_tokens(token) if w.translate(_UNSAFE)]
            cluster_seq = [c.translate(_UNSAFE) for c in clusters(token) if c.translate(_UNSAFE)]
            if words or cluster_seq:
                khmer.append((words, cluster_seq))
        else:
            latin.extend(w.translate(_UNSAFE) for w in search_tokens(token) if w.translate(_UNSAFE))
    return ParsedQuery(latin=latin[:10], khmer=khmer[:10])


# ------------------------------------------------------------------------------------------------ SQLite FTS5


def _fts5_string(token: str) -> str:
    return '"' + token.replace('"', "") + '"'


def fts5_match(query: ParsedQuery) -> str:
    parts = [f"words : {_fts5_string(word)}*" for word in query.latin]
    for words, cluster_seq in query.khmer:
        options = []
        if words:
            options.append("(" + " AND ".join(f"words : {_fts5_string(w)}" for w in words) + ")")
        if cluster_seq:
            options.append("clusters : " + _fts5_string(" ".join(cluster_seq)))
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


# ------------------------------------------------------------------------------------------------ PostgreSQL


def _lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "") + "'"


def tsvector_literal(doc: Document) -> str:
    """Words get weight A, clusters weight B with their positions (for phrase queries)."""
    entries: dict[str, list[str]] = {}
    for position, word in enumerate(doc.words[:2000], start=1):
        entries.setdefault(_lexeme(word), []).append(f"{position}A")
    for position, cluster in enumerate(doc.clusters[:4000], start=1):
        key = _lexeme("~" + cluster)
        entries.setdefault(key, []).append(f"{position}B")
    return " ".join(f"{lexeme}:{','.join(positions[:256])}" for lexeme, positions in entries.items())


def tsquery_literal(query: ParsedQuery) -> str:
    parts = [f"{_lexeme(word)}:*A" for word in query.latin]
    for words, cluster_seq in query.khmer:
        options = []
        if words:
            options.append("(" + " & ".join(f"{_lexeme(w)}:A" for w in words) + ")")
        if cluster_seq:
            options.append("(" + " <-> ".join(f"{_lexeme('~' + c)}:B" for c in cluster_seq) + ")")
        parts.append("(" + " | ".join(options) + ")")
    return " & ".join(parts)


# ------------------------------------------------------------------------------------------------ the index


class TextIndex:
    """The full-text index of one model. `source(objects)` returns {pk: text to index} for a batch."""

    def __init__(self, model_label: str, source: Callable[[Iterable[int]], dict[int, str]]) -> None:
        self.model_label = model_label
        self.source = source

    @property
    def model(self) -> type[Model]:
        from django.apps import apps

        return apps.get_model(self.model_label)

    @property
    def table(self) -> str:
        return f"{self.model._meta.db_table}_fts"

    # -- schema (called from migrations) --

    def create_sql(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            return [
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5(words, clusters, "
                f"tokenize=\"unicode61 remove_diacritics 0 tokenchars '{_KHMER_CHARS}'\")"
            ]
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table} (id bigint PRIMARY KEY, doc tsvector NOT NULL)",
            f"CREATE INDEX IF NOT EXISTS {self.table}_doc ON {self.table} USING gin (doc)",
        ]

    def drop_sql(self, vendor: str) -> list[str]:
        return [f"DROP TABLE IF EXISTS {self.table}"]

    # -- writing --

    def update(self, pks: Iterable[int]) -> None:
        """(Re)index these records; records that no longer exist are removed from the index."""
        pks = list(pks)
        if not pks:
            return
        with connection.cursor() as cursor:
            for start in range(0, len(pks), 500):
                batch = pks[start : start + 500]
                texts = self.source(batch)
                placeholders = ",".join(["%s"] * len(batch))
                id_column = "rowid" if connection.vendor == "sqlite" else "id"
                cursor.execute(f"DELETE FROM {self.table} WHERE {id_column} IN ({placeholders})", batch)
                rows = [(pk, document(texts[pk])) for pk in batch if pk in texts]
                if not rows:
                    continue
                if connection.vendor == "sqlite":
                    cursor.executemany(
                        f"INSERT INTO {self.table} (rowid, words, clusters) VALUES (%s, %s, %s)",
                        [(pk, " ".join(d.words), " ".join(d.clusters)) for pk, d in rows],
                    )
                else:
                    cursor.executemany(
                        f"INSERT INTO {self.table} (id, doc) VALUES (%s, %s::tsvector)",
                        [(pk, tsvector_literal(d)) for pk, d in rows],
                    )

    def rebuild(self, batch_size: int = 2000) -> int:
        """Index every record again (after a change to the indexing rules, or on a new installation)."""
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")
        ids = list(self.model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            self.update(ids[start : start + batch_size])
        return len(ids)

    # -- querying --

    def filter(self, queryset: QuerySet[M], text: str) -> QuerySet[M]:
        """Keep records matching `text` and annotate `search_rank` (higher is better). Blank text: no filter."""
        query = parse_query(text)
        if query.empty:
            return queryset.extra(select={"search_rank": "0"})
        model_table = queryset.model._meta.db_table
        pk_column = queryset.model._meta.pk.column
        if connection.vendor == "sqlite":
            match = fts5_match(query)
            return queryset.extra(
                tables=[self.table],
                where=[f"{self.table}.rowid = {model_table}.{pk_column}", f"{self.table} MATCH %s"],
                params=[match],
                select={"search_rank": f"-bm25({self.table}, 1.0, 0.5)"},
            )
        tsquery = tsquery_literal(query)
        return queryset.extra(
            tables=[self.table],
            where=[f"{self.table}.id = {model_table}.{pk_column}", f"{self.table}.doc @@ %s::tsquery"],
            params=[tsquery],
            select={"search_rank": f"ts_rank({self.table}.doc, %s::tsquery)"},
            select_params=[tsquery],
        )


def index_operations(index: TextIndex) -> Any:
    """A migration operation creating (and on reverse, dropping) the side table for `index`."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        for statement in index.create_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for statement in index.drop_sql(schema_editor.connection.vendor):
            schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards)
