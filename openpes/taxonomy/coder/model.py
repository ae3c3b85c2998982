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
from scipy import sparse

from openpes.taxonomy.coder.text import context_features, normalized_key, split_title, title_features

FORMAT_VERSION = 1

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


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
    context_weight: float = 0.35  # with a description, tasks or sector
    title_context_weight: float = 0.12  # the title alone against the group's descriptions
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
    temperature: float = 0.045
    vote_power: int = 0  # 0: a group scores its best label; 2, 4, 8…: plus a share of Σ similarity^p of its labels
    vote_share: float = 0.3
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
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        index, idf, weights, max_idf = self.index, self.idf, self.block_weights, self.max_idf
        for doc in docs:
            # Per block: sublinear tf × idf, unit length, times the block weight; unknown features count
            # towards the length (so "xyz driver" is less like "driver" than "driver" is) but are not kept.
            blocks: dict[str, list[tuple[int, float]]] = {}
            norms: dict[str, float] = {}
            for term, tf in doc.items():
                block = term[0] if weights else ""
                i = index.get(term, -1)
                value = (1.0 + math.log(tf)) * (float(idf[i]) if i >= 0 else max_idf)
                norms[block] = norms.get(block, 0.0) + value * value
                if i >= 0:
                    blocks.setdefault(block, []).append((i, value))
            row: list[tuple[int, float]] = []
            total = 0.0
            for block, norm in norms.items():
                scale = weights.get(block, 1.0) if weights else 1.0
                total += scale * scale
                factor = scale / math.sqrt(norm) if norm else 0.0
                row.extend((i, v * factor) for i, v in blocks.get(block, ()))
            total_norm = math.sqrt(total) if total else 1.0
            for i, v in row:
                indices.append(i)
                values.append(v / total_norm)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(values, dtype=np.float32), np.array(indices, dtype=np.int32), np.array(indptr, dtype=np.int64)),
            shape=(len(docs), len(self.vocab)),
        )


def _features_cache() -> Callable[[str], dict[str, float]]:
    cache: dict[str, dict[str, float]] = {}

    def get(text: str) -> dict[str, float]:
        found = cache.get(text)
        if found is None:
            found = title_features(text)
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
        self._membership_t = sparse.csr_matrix(
            (np.ones(len(order), dtype=np.float32), (self._sorted_groups, np.arange(len(order)))),
            shape=(len(codes), len(order)),
        )
        self.context_vectorizer = context_vectorizer
        self._contexts_t = contexts.T.tocsr()
        self.meta = meta
        self._features = _features_cache()
        self._feedback_rows: sparse.csr_matrix | None = None
        self._feedback_groups: IntArray = np.zeros(0, dtype=np.int64)
        self._feedback_exact: dict[str, int] = {}
        self.feedback_count = 0

    # --- confirmed codes --------------------------------------------------------------------------------------

    def set_feedback(self, confirmed: Iterable[tuple[str, str]]) -> None:
        """Use these (title, unit code) confirmations from now on (replaces the previous overlay)."""
        texts: list[str] = []
        groups: list[int] = []
        votes: dict[str, Counter[int]] = {}
        for text, code in confirmed:
            group = self.code_index.get(code)
            key = normalized_key(text)
            if group is None or not key:
                continue
            texts.append(text)
            groups.append(group)
            votes.setdefault(key, Counter())[group] += 1
        self.feedback_count = len(texts)
        if not texts:
            self._feedback_rows, self._feedback_groups, self._feedback_exact = None, np.zeros(0, np.int64), {}
            return
        weight = self.params.kind_weights.get("feedback", 1.0)
        self._feedback_rows = (self.vectorizer.transform([self._features(t) for t in texts]) * weight).tocsr()
        self._feedback_groups = np.array(groups, dtype=np.int64)
        # An exact repeat of a confirmed title goes to the group most people confirmed for it.
        self._feedback_exact = {key: counter.most_common(1)[0][0] for key, counter in votes.items()}

    # --- scoring ----------------------------------------------------------------------------------------------

    def _title_scores(self, texts: Sequence[str]) -> FloatArray:
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
            pooled += self.params.vote_share * np.asarray(self._membership_t @ powered.T).T
        if self._feedback_rows is not None:
            feedback = (matrix @ self._feedback_rows.T).toarray()
            extra = np.zeros_like(pooled)
            for column, group in enumerate(self._feedback_groups):
                np.maximum(extra[:, group], feedback[:, column], out=extra[:, group])
            np.maximum(pooled, extra, out=pooled)
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
        title_texts = [q.title for q in queries] + [head for head, _ in heads_tails]
        title = self._title_scores(title_texts)
        n = len(queries)
        best = np.maximum(title[:n], title[n:])
        described = [bool((q.description or q.sector or tail).strip()) for q, (_, tail) in zip(queries, heads_tails)]
        context_texts = [
            " ".join(part for part in (tail, q.description, q.sector) if part)
            for q, (_, tail) in zip(queries, heads_tails, strict=True)
        ]
        context = self._context_scores(context_texts + [q.title for q in queries])
        weights = np.array([p.context_weight if d else 0.0 for d in described], dtype=np.float32)[:, None]
        best += weights * context[:n] + p.title_context_weight * context[n:]
        for row, q in enumerate(queries):
            group = self._feedback_exact.get(normalized_key(q.title)) if self._feedback_exact else None
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
                np.savez_compressed(stream, **arrays)  # type: ignore[arg-type]
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
                (data["labels_data"], data["labels_indices"], data["labels_indptr"]), shape=(-1, len(vocab))
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
