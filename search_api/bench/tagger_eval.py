"""How well objectives are suggested, measured with the declared ones held out (`pledges eval-tagger`).

Records that declare objectives are split into k folds; each fold's records are tagged by a tagger fitted on
the other folds only, and their declared objectives are the answer. Real and synthetic records are spread
evenly over the folds and reported apart. Near-duplicates (embedding cosine >= NEAR_DUPLICATE) stay in one
fold, so that a record's rewording never trains the model tested on it.

Methods, side by side:
- `centroid`: the nearest objective centroids of the declared records' vectors (crosslingual.infer_objectives,
  what hybrid ranking uses for records without objectives); it suggests `RankingParams.inferred_objectives`;
- `profiles`: the tagger fitted on the objective profiles alone, no records (how far our own words carry);
- `tagger`: the shipped method (models/tagger.py), fitted on the training folds.

Measures: precision@1 and @3 of the ranked objectives; micro precision, recall and F1 of the suggestions the
method would store (the tagger's: the best, then up to two more from its threshold); recall per objective;
and, for the tagger, how often a suggestion of a given confidence is a declared objective (calibration).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.schemas import Pledge
from models.tagger import ObjectiveTagger, TaggerParams, record_text
from models.tagger_text import Document, read_document
from models.taxonomy import OBJECTIVE_COUNT
from search_api.core.crosslingual import infer_objectives
from search_api.core.ranking import RankingParams

METHODS = ("centroid", "profiles", "tagger")
NEAR_DUPLICATE = 0.85
CONFIDENCE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


@dataclass(frozen=True)
class Prediction:
    """A method's answer for one record: every objective it ranks, best first, and those it would store."""

    ranked: list[int]
    chosen: list[int]
    confidences: list[float]  # of `chosen`, where the method gives any


def read_declared(paths: Sequence[Path]) -> list[Pledge]:
    """The records of these files (normalised as `pledges index` does) that declare objectives."""
    from indexer.normalise import normalise_record
    from indexer.sources import RawRecord, read_paths

    records: dict[str, Pledge] = {}
    for item in read_paths(list(paths)):
        if not isinstance(item, RawRecord):
            continue
        try:
            pledge = normalise_record(item.data, item.source, item.line, redact=item.redact)
        except Exception:  # noqa: BLE001 - a record the indexer rejects is not evaluated
            continue
        if pledge.objectives:
            records[pledge.id] = pledge
    return list(records.values())


def near_duplicate_groups(vectors: np.ndarray, threshold: float = NEAR_DUPLICATE) -> list[int]:
    """A group number per record: records linked by cosine >= threshold (transitively) share one."""
    parent = list(range(len(vectors)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if len(vectors):
        sims = vectors @ vectors.T
        for i, j in np.argwhere(np.triu(sims >= threshold, k=1)):
            parent[root(int(i))] = root(int(j))
    return [root(i) for i in range(len(vectors))]


def assign_folds(records: Sequence[Pledge], groups: Sequence[int], k: int, seed: int) -> list[int]:
    """A fold per record: whole groups, in a seeded random order, each to the fold holding fewest records of
    its kind (real or synthetic), so both kinds spread evenly."""
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    order = list(members.values())
    np.random.default_rng(seed).shuffle(order)  # type: ignore[arg-type]
    load = {kind: [0] * k for kind in (True, False)}
    fold = [0] * len(records)
    for group in order:
        kind = records[group[0]].synthetic
        target = min(range(k), key=lambda f: (load[kind][f], load[not kind][f]))
        for i in group:
            fold[i] = target
        load[kind][target] += len(group)
    return fold


def predict(
    method: str,
    train: list[int],
    test: list[int],
    records: Sequence[Pledge],
    docs: Sequence[Document],
    vectors: np.ndarray,
    params: TaggerParams,
) -> dict[int, Prediction]:
    """One method's predictions for the `test` records, fitted on the `train` records only."""
    if method == "centroid":
        rows = train + test
        declared: list[list[int]] = [records[i].objectives for i in train] + [[] for _ in test]
        ranked = infer_objectives(vectors[rows], declared, OBJECTIVE_COUNT)[len(train) :]
        keep = RankingParams().inferred_objectives
        return {i: Prediction(r, r[:keep], []) for i, r in zip(test, ranked, strict=True)}
    if method == "profiles":
        tagger = ObjectiveTagger.fit([], [], params)
    elif method == "tagger":
        tagger = ObjectiveTagger.fit([docs[i] for i in train], [records[i].objectives for i in train], params)
    else:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    out = {}
    for i in test:
        confidences = tagger.confidences(docs[i])
        order = [int(j) + 1 for j in np.argsort(-confidences, kind="stable")]
        picked = tagger.pick(confidences)
        out[i] = Prediction(order, [s.objective for s in picked], [s.confidence for s in picked])
    return out


def subsets(records: Sequence[Pledge]) -> dict[str, list[int]]:
    """The record groups reported: real, synthetic per language, and everything."""
    out = {"real": [i for i, r in enumerate(records) if not r.synthetic]}
    for lang in ("en", "fr", "es"):
        out[f"synthetic {lang}"] = [i for i, r in enumerate(records) if r.synthetic and r.language == lang]
    out["all"] = list(range(len(records)))
    return {name: idx for name, idx in out.items() if idx}


def measures(records: Sequence[Pledge], predictions: dict[int, Prediction], idx: Sequence[int]) -> dict[str, float]:
    """P@1, P@3 and micro precision, recall, F1 of the stored suggestions over the records `idx`."""
    p1 = p3 = 0.0
    tp = fp = fn = 0
    for i in idx:
        gold = set(records[i].objectives)
        pred = predictions[i]
        p1 += pred.ranked[0] in gold
        p3 += len(set(pred.ranked[:3]) & gold) / 3
        chosen = set(pred.chosen)
        tp, fp, fn = tp + len(chosen & gold), fp + len(chosen - gold), fn + len(gold - chosen)
    n = max(len(idx), 1)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"records": len(idx), "P@1": p1 / n, "P@3": p3 / n, "precision": precision, "recall": recall, "micro-F1": f1}


def per_objective(
    records: Sequence[Pledge], by_method: dict[str, dict[int, Prediction]], scored: Sequence[int]
) -> list[dict[str, Any]]:
    """Per objective: how many scored records declare it (all, real) and each method's recall of it."""
    rows = []
    for number in range(1, OBJECTIVE_COUNT + 1):
        holders = [i for i in scored if number in records[i].objectives]
        row: dict[str, Any] = {
            "objective": number,
            "declared": len(holders),
            "declared_real": sum(not records[i].synthetic for i in holders),
        }
        for method, predictions in by_method.items():
            found = sum(number in predictions[i].chosen for i in holders)
            row[method] = found / len(holders) if holders else None
        rows.append(row)
    return rows


def calibration(records: Sequence[Pledge], predictions: dict[int, Prediction]) -> list[dict[str, Any]]:
    """Stored suggestions by confidence band: how many, their mean confidence, and the share declared."""
    pairs = [
        (c, o in records[i].objectives)
        for i, p in predictions.items()
        for o, c in zip(p.chosen, p.confidences, strict=True)
    ]
    rows = []
    for low, high in zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:], strict=False):
        band = [(c, ok) for c, ok in pairs if low <= c < high]
        rows.append(
            {
                "band": f"{low:.1f}-{min(high, 1.0):.1f}",
                "suggestions": len(band),
                "mean_confidence": float(np.mean([c for c, _ in band])) if band else None,
                "declared_share": float(np.mean([ok for _, ok in band])) if band else None,
            }
        )
    return rows


def evaluate(
    records: Sequence[Pledge],
    vectors: np.ndarray,
    folds: int = 5,
    seed: int = 0,
    methods: Sequence[str] = METHODS,
    params: TaggerParams | None = None,
) -> dict[str, Any]:
    """Cross-validated figures of each method: rows per subset, recall per objective, the tagger's calibration."""
    params = params or TaggerParams()
    docs = [read_document(record_text(r), r.language) for r in records]
    fold_of = assign_folds(records, near_duplicate_groups(vectors), folds, seed)
    by_method: dict[str, dict[int, Prediction]] = {m: {} for m in methods}
    for f in range(folds):
        test = [i for i, k in enumerate(fold_of) if k == f]
        train = [i for i, k in enumerate(fold_of) if k != f]
        if not test or not train:
            continue
        for method in methods:
            by_method[method].update(predict(method, train, test, records, docs, vectors, params))
    scored = sorted(set.intersection(*(set(p) for p in by_method.values()))) if by_method else []
    kept = set(scored)
    groups = {name: [i for i in idx if i in kept] for name, idx in subsets(records).items()}
    rows = [
        {"method": m, "subset": name, **measures(records, by_method[m], idx)}
        for m in methods
        for name, idx in groups.items()
        if idx
    ]
    return {
        "folds": folds,
        "seed": seed,
        "records": len(records),
        "scored": len(scored),
        "real": sum(not r.synthetic for r in records),
        "params": params.__dict__,
        "rows": rows,
        "per_objective": per_objective(records, by_method, scored),
        "calibration": calibration(records, by_method["tagger"]) if "tagger" in by_method else [],
    }
