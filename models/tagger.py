"""The objective tagger: which GCM objectives a record's text serves, each with a calibrated confidence.

A record is read as stemmed words in its own language (`models.tagger_text`) and scored against each of the 23
objectives by three things added together:

- a ridge classifier (one per objective, fitted in closed form) over tf-idf of the words, learnt from records
  that declare their objectives and from the objective profiles (`objective_profiles.json`: each objective's
  commitments and actions in our own words, in English, French and Spanish), which serve as labelled examples;
- the cosine between the record and the objective's profile in each of the three languages (the best of the
  three): this carries French and Spanish texts, which the English embedding model reads poorly, and rare
  objectives, which few records declare;
- a boost for an objective the text names by number ("GCM Objective 4").

The sum is turned into a probability by Platt scaling fitted on held-out scores of the training records (inner
k-fold), so "0.8" means that about 8 in 10 such suggestions are declared objectives. `pledges eval-tagger`
measures all of it with labels held out. The fitted tagger ships as `objective_tagger.npz` (vocabulary, idf,
weights, calibration) beside the profiles; loading it takes milliseconds and downloads nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from models.schemas import PledgeBase, SuggestedObjective
from models.tagger_text import Document, read_document
from models.taxonomy import LANGUAGES, OBJECTIVE_COUNT, OBJECTIVES

PROFILES_PATH = Path(__file__).with_name("objective_profiles.json")
MODEL_PATH = Path(__file__).with_name("objective_tagger.npz")
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class TaggerParams:
    """The tagger's knobs; `pledges eval-tagger` measures the values below (see its note in the README)."""

    ridge_lambda: float = 0.3  # ridge penalty on tf-idf rows of unit length
    profile_example_weight: float = 3.0  # weight of each profile as a training example (a record weighs 1)
    profile_similarity: float = 2.0  # weight of the record-profile cosine in the score
    named_boost: float = 1.0  # added to an objective the text names by number
    min_df: int = 2  # a word must occur in this many training texts to be a feature
    calibration_folds: int = 5  # inner folds whose held-out scores fit the calibration
    suggest_threshold: float = 0.35  # a record without declared objectives: 2nd and 3rd suggestions from here
    extra_threshold: float = 0.8  # a record with declared objectives: extra suggestions only from here
    seed: int = 0


def profiles_text() -> dict[int, dict[str, str]]:
    """Each objective's profile per language: its label, short label and the commitments text."""
    data = json.loads(PROFILES_PATH.read_text(encoding="utf-8"))["objectives"]
    return {
        number: {
            lang: f"{term.labels[lang]}. {term.short.get(lang, '')}. {data[str(number)][lang]}" for lang in LANGUAGES
        }
        for number, term in OBJECTIVES.items()
    }


def profiles_digest() -> str:
    """sha256 of the profiles file: the shipped model says which profiles it was fitted with."""
    return hashlib.sha256(PROFILES_PATH.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _profile_documents() -> tuple[tuple[Document, ...], tuple[int, ...]]:
    """The profiles as documents, objective by objective and language by language, with their objective."""
    documents, labels = [], []
    for number, texts in sorted(profiles_text().items()):
        for lang in LANGUAGES:
            documents.append(read_document(texts[lang], lang))
            labels.append(number)
    return tuple(documents), tuple(labels)


@dataclass
class ObjectiveTagger:
    """A fitted tagger: vocabulary, idf, ridge weights, profile rows and the calibration."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # (vocabulary, 23)
    bias: np.ndarray  # (23,)
    calibration: tuple[float, float]  # Platt: confidence = sigmoid(a * score + b)
    params: TaggerParams = field(default_factory=TaggerParams)
    profiles: np.ndarray = field(init=False, repr=False)  # (23 * 3, vocabulary), unit rows

    def __post_init__(self) -> None:
        documents, _ = _profile_documents()
        self.profiles = self._matrix(documents)

    # --- fitting ----------------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls, documents: Sequence[Document], objectives: Sequence[Sequence[int]], params: TaggerParams | None = None
    ) -> ObjectiveTagger:
        """Fit on records' documents and their declared objectives (plus the profiles), then calibrate on the
        held-out scores of `calibration_folds` inner folds."""
        params = params or TaggerParams()
        tagger = cls._fit_scores(documents, objectives, params)
        held_out = np.zeros((len(documents), OBJECTIVE_COUNT))
        folds = params.calibration_folds if len(documents) >= 2 * params.calibration_folds else 0
        order = np.random.default_rng(params.seed).permutation(len(documents))
        for k in range(folds):
            test = order[k::folds]
            train = np.setdiff1d(order, test)
            inner = cls._fit_scores([documents[i] for i in train], [objectives[i] for i in train], params)
            held_out[test] = inner.scores([documents[i] for i in test])
        if folds:
            tagger.calibration = platt(held_out.ravel(), label_matrix(objectives).ravel())
        return tagger

    @classmethod
    def _fit_scores(
        cls, documents: Sequence[Document], objectives: Sequence[Sequence[int]], params: TaggerParams
    ) -> ObjectiveTagger:
        """The uncalibrated tagger: vocabulary, idf and ridge weights from records plus profiles."""
        profile_docs, profile_labels = _profile_documents()
        docs = [*documents, *profile_docs]
        df = Counter(term for doc in docs for term in set(doc.terms))
        terms = sorted(t for t, n in df.items() if n >= params.min_df)
        vocabulary = {t: j for j, t in enumerate(terms)}
        idf = np.array([np.log((1 + len(docs)) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float32)
        tagger = cls(
            vocabulary,
            idf,
            np.zeros((len(terms), OBJECTIVE_COUNT), np.float32),
            np.zeros(OBJECTIVE_COUNT, np.float32),
            DEFAULT_CALIBRATION,
            params,
        )
        x = tagger._matrix(docs)
        y = label_matrix([*objectives, *[[n] for n in profile_labels]])
        w = np.r_[np.ones(len(documents)), np.full(len(profile_docs), params.profile_example_weight)]
        tagger.weights, tagger.bias = ridge(x, y, w, params.ridge_lambda)
        return tagger

    # --- scoring ----------------------------------------------------------------------------------------
    def _row(self, doc: Document) -> tuple[np.ndarray, np.ndarray]:
        """Sparse tf-idf row of unit length: (columns, values), the same for a record alone or in a batch."""
        counts = Counter(t for t in doc.terms if t in self.vocabulary)
        if not counts:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        columns = np.array([self.vocabulary[t] for t in counts], dtype=np.int64)
        values = (1.0 + np.log(np.array(list(counts.values()), dtype=np.float32))) * self.idf[columns]
        return columns, (values / np.linalg.norm(values)).astype(np.float32)

    def _matrix(self, docs: Sequence[Document]) -> np.ndarray:
        x = np.zeros((len(docs), len(self.vocabulary)), dtype=np.float32)
        for i, doc in enumerate(docs):
            columns, values = self._row(doc)
            x[i, columns] = values
        return x

    def score(self, doc: Document) -> np.ndarray:
        """Uncalibrated score of each objective (index 0 is objective 1)."""
        columns, values = self._row(doc)
        ridge_part = values @ self.weights[columns] + self.bias
        cosines = (self.profiles[:, columns] @ values).reshape(OBJECTIVE_COUNT, len(LANGUAGES)).max(axis=1)
        named = np.zeros(OBJECTIVE_COUNT, np.float32)
        named[[n - 1 for n in doc.named]] = 1.0
        return ridge_part + self.params.profile_similarity * cosines + self.params.named_boost * named

    def scores(self, docs: Sequence[Document]) -> np.ndarray:
        """`score` of each document, as rows."""
        return np.array([self.score(d) for d in docs]).reshape(len(docs), OBJECTIVE_COUNT)

    def confidences(self, doc: Document) -> np.ndarray:
        """Calibrated probability that each objective is one the record would declare."""
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-np.clip(a * self.score(doc) + b, -50.0, 50.0)))

    def suggest(self, text: str, language: str, declared: Sequence[int] = ()) -> list[SuggestedObjective]:
        """Suggested objectives for a record's text, best first, never one of `declared`: with none declared,
        the best objective and up to two more from `suggest_threshold`; with some declared, only extras from
        `extra_threshold`. At most three; confidences rounded to two decimals."""
        return self.pick(self.confidences(read_document(text, language)), declared)

    def pick(self, confidences: np.ndarray, declared: Sequence[int] = ()) -> list[SuggestedObjective]:
        """The suggestions `suggest` makes from a row of confidences."""
        taken = set(declared)
        ranked = sorted(range(OBJECTIVE_COUNT), key=lambda i: (-round(float(confidences[i]), 6), i))
        out: list[SuggestedObjective] = []
        for i in ranked:
            if i + 1 in taken:
                continue
            confidence = round(float(confidences[i]), 2)
            floor = self.params.extra_threshold if taken else self.params.suggest_threshold
            if (out or taken) and confidences[i] < floor:
                break
            out.append(SuggestedObjective(objective=i + 1, confidence=confidence))
            if len(out) == MAX_SUGGESTIONS:
                break
        return out

    # --- storage ----------------------------------------------------------------------------------------
    def save(self, path: Path = MODEL_PATH) -> None:
        """Write the fitted tagger (weights as float16: scores move by under 1e-3)."""
        np.savez_compressed(
            path,
            terms=np.array(sorted(self.vocabulary, key=self.vocabulary.__getitem__)),
            idf=self.idf.astype(np.float32),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            calibration=np.array(self.calibration, dtype=np.float64),
            params=np.array(json.dumps(asdict(self.params))),
            profiles_sha256=np.array(profiles_digest()),
        )

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ObjectiveTagger:
        """A tagger saved by `save`."""
        with np.load(path, allow_pickle=False) as data:
            terms = [str(t) for t in data["terms"]]
            a, b = (float(v) for v in data["calibration"])
            return cls(
                {t: j for j, t in enumerate(terms)},
                data["idf"].astype(np.float32),
                data["weights"].astype(np.float32),
                data["bias"].astype(np.float32),
                (a, b),
                TaggerParams(**json.loads(str(data["params"]))),
            )


DEFAULT_CALIBRATION = (10.0, -5.5)  # used only until a fit calibrates (a tagger fitted on too few records)


def label_matrix(objectives: Sequence[Sequence[int]]) -> np.ndarray:
    """One row per record, one column per objective, 1 where declared."""
    y = np.zeros((len(objectives), OBJECTIVE_COUNT), dtype=np.float32)
    for i, numbers in enumerate(objectives):
        for n in numbers:
            if 1 <= n <= OBJECTIVE_COUNT:
                y[i, n - 1] = 1.0
    return y


def ridge(x: np.ndarray, y: np.ndarray, w: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Weighted ridge regression of every column of `y` on `x`, solved in its dual (few rows, many words)."""
    sw = np.sqrt(w)[:, None].astype(np.float64)
    mean = (y * w[:, None]).sum(axis=0) / w.sum()
    xw, yw = x.astype(np.float64) * sw, (y - mean) * sw
    dual = np.linalg.solve(xw @ xw.T + lam * np.eye(len(x)), yw)
    return (xw.T @ dual).astype(np.float32), mean.astype(np.float32)


def platt(scores: np.ndarray, labels: np.ndarray, iterations: int = 50) -> tuple[float, float]:
    """Platt scaling: (a, b) maximising the likelihood of sigmoid(a * score + b), by Newton's method."""
    a, b = 1.0, 0.0
    s, t = scores.astype(np.float64), labels.astype(np.float64)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(a * s + b, -50.0, 50.0)))
        g = np.array([((p - t) * s).sum(), (p - t).sum()])
        r = p * (1 - p) + 1e-9
        h = np.array([[(r * s * s).sum(), (r * s).sum()], [(r * s).sum(), r.sum()]]) + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-9:
            break
    return float(a), float(b)


@lru_cache(maxsize=1)
def default_tagger() -> ObjectiveTagger:
    """The shipped tagger (models/objective_tagger.npz); fitted on the profiles alone when the file is absent."""
    if MODEL_PATH.exists():
        return ObjectiveTagger.load(MODEL_PATH)
    return ObjectiveTagger.fit([], [])


def record_text(pledge: PledgeBase) -> str:
    """What the tagger reads of a record: its title and description."""
    return f"{pledge.title.strip()}. {pledge.description.strip()}"


def suggest_for(pledge: PledgeBase, tagger: ObjectiveTagger | None = None) -> list[SuggestedObjective]:
    """The record's suggested objectives (none of its declared ones), best first."""
    return (tagger or default_tagger()).suggest(record_text(pledge), pledge.language, pledge.objectives)
