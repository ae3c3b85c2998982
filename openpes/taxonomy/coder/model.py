"""The ISCO-08 coder: nearest labels by TF-IDF over words and character n-grams, plus a context signal.

How a suggestion is made:

1. **Title match.** Every known way of naming an occupation — ESCO preferred, alternative and hidden labels,
   ISCO-08 titles in English and Khmer, our lexicons of local titles, and titles people confirmed — is a row
   of a sparse TF-IDF matrix (words, word pairs, the head word, character 3–5-grams). A typed title is
   compared with every row (cosine); a unit group scores the best of its rows. The title is scored whole
   and also without its tail ("sales girl *in phone shop*"), and the better of the two counts.
2. **Context match.** Descriptions of ESCO occupations and all labels of a unit group form one bag of words
   per group; the typed tasks, description and sector (and, with a small weight, the title) are compared
   with those bags. This separates "operator — garment factory" from "operator — rice mill".
3. **Confirmed codes.** A title people confirmed counts as a label of its group at once (an overlay, no
   rebuild), and an exact repeat of a confirmed title puts the confirmed group first.
4. **Confidence** is a softmax over the group scores with a temperature fitted on held-out ESCO labels, so
   that "82 %" means about what it says on the held-out data.

Everything is numpy/scipy: no network, no downloaded weights; batches run as sparse matrix products.
No Django imports.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA
from scipy import sparse

from openpes.taxonomy.coder.text import context_features, normalized_key, split_title, title_features

FORMAT_VERSION = 1

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
# Confirmed titles: (feature × title matrix sorted by group, the titles' groups, exact title key → group).
ConfirmedOverlay = tuple[sparse.csr_matrix, IntArray, dict[str, int]]


@dataclass(frozen=True)
class Example:
    """One way of naming the occupations of an ISCO-08 unit group, with how much it is trusted."""

    text: str
    code: str
    kind: str
    weight: float = 1.0


@dataclass
class TrainingData:
    """What a coder is built from: unit groups with titles, labelled examples and description texts."""

    groups: dict[str, tuple[str, str]]  # unit code → (English title, Khmer title)
    examples: list[Example]
    contexts: dict[str, list[str]] = field(default_factory=dict)  # unit code → descriptions

    def fingerprint(self) -> dict[str, int]:
        return {"groups": len(self.groups), "examples": len(self.examples)}


@dataclass(frozen=True)
class Query:
    """What someone typed: a job title, and optionally the tasks or a description, and the sector."""

    title: str
    description: str = ""
    sector: str = ""


@dataclass(frozen=True)
class Suggestion:
    code: str
    title_en: str
    title_km: str
    confidence: float
    score: float


@dataclass
class Params:
    """Tuning knobs, chosen on the ESCO development split (see bench/isco_coder.py)."""

    word_weight: float = 1.0
    pair_weight: float = 0.5
    head_weight: float = 0.6
    char_weight: float = 1.0
    context_weight: float = 1.5  # with a description, tasks or sector
    title_context_weight: float = 0.5  # the title alone against the group's descriptions
    kind_weights: dict[str, float] = field(
        default_factory=lambda: {
            "preferred": 1.0,
            "alternative": 0.98,
            "hidden": 0.93,
            "isco": 1.0,
            "isco_km": 1.0,
            "occupation_km": 1.0,
            "lexicon": 1.02,
            "lexicon_km": 1.02,
            "feedback": 1.04,
        }
    )
    temperature: float = 0.1
    vote_power: int = 4  # 0: a group scores its best label; 2, 4, 8…: plus a share of Σ similarity^p of its labels
    vote_share: float = 0.2
    vote_log: bool = True
    spelling: bool = True  # correct unknown words to the nearest known word
    prune_df: float = 1.0  # n-grams in more than this share of labels are left out of the label matrix
    feedback_exact_bonus: float = 0.25


# ---------------------------------------------------------------------------------------------------------------
# TF-IDF over feature dictionaries
# ---------------------------------------------------------------------------------------------------------------


class Vectorizer:
    """Sparse TF-IDF vectors from feature dictionaries; each feature block (prefix before ':') is scaled."""

    def __init__(self, vocab: list[str], idf: FloatArray, block_weights: dict[str, float] | None = None) -> None:
        self.vocab = vocab
        self.index = {term: i for i, term in enumerate(vocab)}
        self.idf = idf.astype(np.float32)
        self.block_weights = block_weights or {}
        self.max_idf = float(self.idf.max()) if len(self.idf) else 1.0

    @classmethod
    def fit(cls, docs: Iterable[dict[str, float]], block_weights: dict[str, float] | None = None) -> Vectorizer:
        df: Counter[str] = Counter()
        n = 0
        for doc in docs:
            df.update(doc.keys())
            n += 1
        vocab = sorted(df)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab], dtype=np.float32)
        return cls(vocab, idf, block_weights)

    def transform(self, docs: Sequence[dict[str, float]]) -> sparse.csr_matrix:
        """Per block: sublinear tf × idf scaled to unit length, times the block weight; then the whole row to
        unit length. Unknown features count towards the length (so "xyz driver" is less like "driver" than
        "driver" is) but are not kept."""
        index = self.index
        blocks = sorted(self.block_weights) or [""]
        block_of = {b: i for i, b in enumerate(blocks)}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[float] = []
        kinds: list[int] = []
        for row, doc in enumerate(docs):
            for term, tf in doc.items():
                rows.append(row)
                cols.append(index.get(term, -1))
                tfs.append(tf)
                kinds.append(block_of.get(term[:1], 0) if self.block_weights else 0)
        n = len(docs)
        row_a = np.array(rows, dtype=np.int64)
        col_a = np.array(cols, dtype=np.int64)
        kind_a = np.array(kinds, dtype=np.int64)
        known = col_a >= 0
        idf = np.where(known, self.idf[np.where(known, col_a, 0)], self.max_idf)
        values = (1.0 + np.log(np.array(tfs, dtype=np.float64))) * idf
        nb = len(blocks)
        cell = row_a * nb + kind_a
        norms = np.sqrt(np.bincount(cell, weights=values * values, minlength=n * nb))
        weights = np.array([self.block_weights.get(b, 1.0) for b in blocks] if self.block_weights else [1.0])
        present = norms > 0
        totals = np.sqrt((present.reshape(n, nb) * (weights**2)[None, :]).sum(axis=1))
        totals[totals == 0] = 1.0
        values = values * weights[kind_a] / norms[cell] / totals[row_a]
        return sparse.csr_matrix(
            (values[known].astype(np.float32), (row_a[known], col_a[known])), shape=(n, len(self.vocab))
        )


class _Speller:
    """Replaces a word the coder has never seen by the closest word it knows ("gaurd" → "guard")."""

    def __init__(self, known: Iterable[str]) -> None:
        self.known = {w for w in known if len(w) >= 4 and not w.isdigit()}
        self.by_length: dict[int, list[str]] = {}
        for w in sorted(self.known):
            self.by_length.setdefault(len(w), []).append(w)
        self.cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        if word in self.known or len(word) < 4 or word.isdigit():
            return word
        found = self.cache.get(word)
        if found is None:
            limit = 1 if len(word) < 7 else 2
            choices = [w for n in range(len(word) - limit, len(word) + limit + 1) for w in self.by_length.get(n, ())]
            match = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
            found = match[0] if match else word
            if len(self.cache) < 100_000:
                self.cache[word] = found
        return found


def _features_cache(speller: Callable[[str], str] | None = None) -> Callable[[str], dict[str, float]]:
    cache: dict[str, dict[str, float]] = {}

    def get(text: str) -> dict[str, float]:
        found = cache.get(text)
        if found is None:
            found = title_features(text, speller)
            if len(cache) < 200_000:
                cache[text] = found
        return found

    return get


# ---------------------------------------------------------------------------------------------------------------
# The coder
# ---------------------------------------------------------------------------------------------------------------


class IscoCoder:
    """A built coder: label matrix pooled by unit group, context matrix, and an overlay of confirmed codes."""

    def __init__(
        self,
        *,
        codes: list[str],
        titles: list[tuple[str, str]],
        params: Params,
        vectorizer: Vectorizer,
        labels: sparse.csr_matrix,
        label_groups: IntArray,
        context_vectorizer: Vectorizer,
        contexts: sparse.csr_matrix,
        meta: dict[str, Any],
    ) -> None:
        self.codes = codes
        self.code_index = {c: i for i, c in enumerate(codes)}
        self.titles = titles
        self.params = params
        self.vectorizer = vectorizer
        self.label_groups = label_groups
        # Labels are kept sorted by group so a row of label scores pools into group scores with reduceat.
        order = np.argsort(label_groups, kind="stable")
        self._labels_t = labels[order].T.tocsr()
        self._sorted_groups = label_groups[order]
        self._starts = np.searchsorted(self._sorted_groups, np.arange(len(codes)))
        self._present = np.isin(np.arange(len(codes)), self._sorted_groups)
        self.context_vectorizer = context_vectorizer
        self._contexts_t = contexts.T.tocsr()
        self.meta = meta
        self._features = _features_cache(
            _Speller(term[2:] for term in vectorizer.vocab if term.startswith("w:")) if params.spelling else None
        )
        # Swapped as one value, so a thread scoring while confirmations are reloaded never sees half of each.
        self._feedback: ConfirmedOverlay | None = None
        self.feedback_count = 0

    # --- confirmed codes --------------------------------------------------------------------------------------

    def set_feedback(self, confirmed: Iterable[tuple[str, str]]) -> None:
        """Use these (title, unit code) confirmations from now on (replaces the previous overlay)."""
        votes: dict[str, Counter[int]] = {}
        distinct: dict[tuple[str, int], str] = {}
        for text, code in confirmed:
            group = self.code_index.get(code)
            key = normalized_key(text)
            if group is None or not key:
                continue
            votes.setdefault(key, Counter())[group] += 1
            distinct.setdefault((key, group), text)
        self.feedback_count = sum(sum(counter.values()) for counter in votes.values())
        if not distinct:
            self._feedback = None
            return
        items = sorted(distinct.items(), key=lambda item: item[0][1])
        weight = self.params.kind_weights.get("feedback", 1.0)
        rows = self.vectorizer.transform([self._features(text) for _, text in items]) * weight
        # An exact repeat of a confirmed title goes to the group most people confirmed for it.
        self._feedback = (
            rows.T.tocsr(),
            np.array([group for (_, group), _ in items], dtype=np.int64),
            {key: counter.most_common(1)[0][0] for key, counter in votes.items()},
        )

    # --- scoring ----------------------------------------------------------------------------------------------

    def _title_scores(self, texts: Sequence[str], feedback: ConfirmedOverlay | None = None) -> FloatArray:
        """Group scores (rows = texts): the best label of each group, times the label's weight."""
        matrix = self.vectorizer.transform([self._features(t) for t in texts])
        sims = (matrix @ self._labels_t).toarray()
        pooled = np.maximum.reduceat(sims, np.minimum(self._starts, sims.shape[1] - 1), axis=1)
        pooled[:, ~self._present] = 0.0
        if self.params.vote_power:
            # Σ sim^p over a group's labels: many close labels add up, far ones count for nothing.
            powered = sims * sims
            for _ in range(self.params.vote_power.bit_length() - 2):
                powered *= powered
            votes = np.add.reduceat(powered, np.minimum(self._starts, sims.shape[1] - 1), axis=1)
            votes[:, ~self._present] = 0.0
            # Diminishing returns: a group with hundreds of "… machine operator" labels must not win on numbers.
            pooled += self.params.vote_share * (np.log1p(votes) if self.params.vote_log else votes)
        if feedback is not None:
            # Confirmed titles are labels too (sorted by group, pooled the same way).
            rows, row_groups, _ = feedback
            confirmed = (matrix @ rows).toarray()
            groups, starts = np.unique(row_groups, return_index=True)
            best = np.maximum.reduceat(confirmed, starts, axis=1)
            pooled[:, groups] = np.maximum(pooled[:, groups], best)
        return pooled.astype(np.float32)

    def _context_scores(self, texts: Sequence[str]) -> FloatArray:
        matrix = self.context_vectorizer.transform([context_features(t) for t in texts])
        return np.asarray((matrix @ self._contexts_t).toarray(), dtype=np.float32)

    def scores(self, queries: Sequence[Query]) -> FloatArray:
        """Raw group scores for each query (rows) and unit group (columns, in `self.codes` order)."""
        if not queries:
            return np.zeros((0, len(self.codes)), dtype=np.float32)
        p = self.params
        heads_tails = [split_title(q.title) for q in queries]
        n = len(queries)
        # Each distinct text is scored once: most titles have no tail, so their head is the title itself.
        distinct: dict[str, int] = {}
        for text in [q.title for q in queries] + [head for head, _ in heads_tails]:
            distinct.setdefault(text, len(distinct))
        feedback = self._feedback
        title = self._title_scores(list(distinct), feedback)
        best = np.maximum(
            title[[distinct[q.title] for q in queries]], title[[distinct[head] for head, _ in heads_tails]]
        )
        described = [
            bool((q.description or q.sector or tail).strip()) for q, (_, tail) in zip(queries, heads_tails, strict=True)
        ]
        context_texts = [
            " ".join(part for part in (tail, q.description, q.sector) if part)
            for q, (_, tail) in zip(queries, heads_tails, strict=True)
        ]
        context = self._context_scores(context_texts + [q.title for q in queries])
        weights = np.array([p.context_weight if d else 0.0 for d in described], dtype=np.float32)[:, None]
        best += weights * context[:n] + p.title_context_weight * context[n:]
        for row, q in enumerate(queries):
            group = feedback[2].get(normalized_key(q.title)) if feedback else None
            if group is not None:
                best[row, group] = best[row].max() + p.feedback_exact_bonus
        return best

    def suggest_many(self, queries: Sequence[Query], limit: int = 3, chunk: int = 256) -> list[list[Suggestion]]:
        """Top `limit` unit groups with confidences for each query, in batches of `chunk`."""
        out: list[list[Suggestion]] = []
        for start in range(0, len(queries), chunk):
            part = queries[start : start + chunk]
            scores = self.scores(part)
            for row in range(len(part)):
                out.append(self._top(scores[row], limit))
        return out

    def suggest(self, title: str, description: str = "", sector: str = "", limit: int = 3) -> list[Suggestion]:
        return self.suggest_many([Query(title, description, sector)], limit=limit)[0]

    def _top(self, row: FloatArray, limit: int) -> list[Suggestion]:
        if not row.size or float(row.max()) <= 0.0:
            return []
        k = min(limit, row.size)
        top = np.argpartition(-row, k - 1)[:k]
        top = top[np.argsort(-row[top], kind="stable")]
        logits = (row - row.max()) / self.params.temperature
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum()
        return [
            Suggestion(
                code=self.codes[i],
                title_en=self.titles[i][0],
                title_km=self.titles[i][1],
                confidence=float(probabilities[i]),
                score=float(row[i]),
            )
            for i in top
            if row[i] > 0.0
        ]

    # --- persistence ------------------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the coder to `path` (one .npz file, no pickles), atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        header = {
            "format": FORMAT_VERSION,
            "codes": self.codes,
            "titles": self.titles,
            "params": asdict(self.params),
            "block_weights": self.vectorizer.block_weights,
            "meta": self.meta,
        }
        labels = self._labels_t.T.tocsr()
        contexts = self._contexts_t.T.tocsr()
        arrays = {
            "header": _blob(json.dumps(header, ensure_ascii=False)),
            "vocab": _blob("\n".join(self.vectorizer.vocab)),
            "idf": self.vectorizer.idf,
            "labels_data": labels.data,
            "labels_indices": labels.indices,
            "labels_indptr": labels.indptr,
            "label_groups": self._sorted_groups,
            "context_vocab": _blob("\n".join(self.context_vectorizer.vocab)),
            "context_idf": self.context_vectorizer.idf,
            "contexts_data": contexts.data,
            "contexts_indices": contexts.indices,
            "contexts_indptr": contexts.indptr,
        }
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".isco-coder-", suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as stream:
                np.savez_compressed(stream, **arrays)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; app processes may run as another user
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> IscoCoder:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(_text(data["header"]))
            if header.get("format") != FORMAT_VERSION:
                raise ValueError(f"{path}: coder format {header.get('format')} is not {FORMAT_VERSION}.")
            vocab = _text(data["vocab"]).split("\n")
            context_vocab = _text(data["context_vocab"]).split("\n")
            labels = sparse.csr_matrix(
                (data["labels_data"], data["labels_indices"], data["labels_indptr"]),
                shape=(len(data["labels_indptr"]) - 1, len(vocab)),
            )
            contexts = sparse.csr_matrix(
                (data["contexts_data"], data["contexts_indices"], data["contexts_indptr"]),
                shape=(len(header["codes"]), len(context_vocab)),
            )
            params = Params(**header["params"])
            return cls(
                codes=header["codes"],
                titles=[(en, km) for en, km in header["titles"]],
                params=params,
                vectorizer=Vectorizer(vocab, data["idf"], header["block_weights"]),
                labels=labels,
                label_groups=data["label_groups"].astype(np.int64),
                context_vectorizer=Vectorizer(context_vocab, data["context_idf"]),
                contexts=contexts,
                meta=header["meta"],
            )


def _blob(text: str) -> npt.NDArray[np.uint8]:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: npt.NDArray[np.uint8]) -> str:
    return array.tobytes().decode("utf-8")


def build(data: TrainingData, params: Params | None = None, meta: dict[str, Any] | None = None) -> IscoCoder:
    """Build a coder from training data (a few seconds for all of ESCO)."""
    params = params or Params()
    codes = sorted(data.groups)
    code_index = {c: i for i, c in enumerate(codes)}
    # One row per distinct (text, group): the most trusted kind of that text wins.
    best: dict[tuple[str, int], float] = {}
    for example in data.examples:
        group = code_index.get(example.code)
        if group is None or not example.text.strip():
            continue
        key = (example.text.strip(), group)
        weight = example.weight * params.kind_weights.get(example.kind, 1.0)
        if weight > best.get(key, 0.0):
            best[key] = weight
    rows = sorted(best.items(), key=lambda item: (item[0][1], item[0][0]))
    features = _features_cache()
    docs = [features(text) for (text, _), _ in rows]
    vectorizer = Vectorizer.fit(
        docs,
        block_weights={
            "w": params.word_weight,
            "b": params.pair_weight,
            "h": params.head_weight,
            "c": params.char_weight,
        },
    )
    labels = vectorizer.transform(docs)
    if params.prune_df < 1.0:
        df = np.bincount(labels.indices, minlength=labels.shape[1])
        common = df > params.prune_df * labels.shape[0]
        labels.data[common[labels.indices]] = 0.0
        labels.eliminate_zeros()
    weights = np.array([weight for _, weight in rows], dtype=np.float32)
    labels = sparse.diags(weights).dot(labels).tocsr().astype(np.float32)
    label_groups = np.array([group for (_, group), _ in rows], dtype=np.int64)

    # Context: per group, its descriptions and all its labels as one bag of words.
    bags: list[dict[str, float]] = []
    for code in codes:
        bag: Counter[str] = Counter()
        for text in data.contexts.get(code, []):
            bag.update(context_features(text))
        bags.append(dict(bag))
    for (text, group), _ in rows:
        for term, count in context_features(text).items():
            bags[group][term] = bags[group].get(term, 0.0) + count
    context_vectorizer = Vectorizer.fit(bags)
    contexts = context_vectorizer.transform(bags)
    return IscoCoder(
        codes=codes,
        titles=[data.groups[c] for c in codes],
        params=params,
        vectorizer=vectorizer,
        labels=labels,
        label_groups=label_groups,
        context_vectorizer=context_vectorizer,
        contexts=contexts,
        meta={**data.fingerprint(), "labels": len(rows), **(meta or {})},
    )
