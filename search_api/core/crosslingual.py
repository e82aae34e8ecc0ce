"""Cross-language reach for hybrid search, through facts that have no language: the GCM objectives.

The embedding model is English: it cannot carry a Spanish query to an English pledge. The taxonomy can. Its
23 objectives are labelled in English, French and Spanish, and most records declare the objectives they serve:

- the query's own words are matched against the objective labels in all three languages (`named_objectives`);
- the best keyword hits, which share the query's language, say which objectives the query is about
  (`feedback_objectives`, pseudo-relevance feedback on language-neutral facts);
- both make an objective profile of the query, and the *objective leg* ranks the hybrid candidates by how much
  of that profile they carry, whatever their language (`objective_leg`); it is fused with the other two legs.

Records that declare no objective (most good practices) get the two objectives whose centroid of declared
records' vectors is nearest (`infer_objectives`): used for ranking only, never shown as declared.
The semantic leg is trusted less for queries outside the model's languages (`semantic_weight`), since its
neighbours for them are mostly noise. `hybrid_legs` puts the legs and their weights together for both engines.
A query is read in every language, so words that are stop words in any of them are dropped first
(`without_stop_words`). Pure functions over numpy and the taxonomy: no engine here.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from models.taxonomy import LANGUAGES, OBJECTIVE_COUNT, OBJECTIVES
from search_api.core.ranking import RankingParams

Analyse = Callable[[str, str], list[str]]  # (text, language) -> analysed terms
Ranked = list[tuple[str, float]]


def _listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The stop words of the record analysers (tantivy's lists; tests/unit checks them against tantivy). Both engines
# drop them from a query before it is read (`without_stop_words`): one list, the same query terms.
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _listed("""
a an and are as at be but by for if in into is it no not of on or such that the their then there
these they this to was will with
"""),
    "fr": _listed("""
ai aie aient aies ait au aurai auraient aurais aurait aurez auriez aurions aurons auront aux avaient
avais avait avec avez aviez avons ayant ayez ayons c ce ces cette d dans de des du elle en es et eu
eue eues eurent eus eusse eussent eusses eussiez eussions eut eux eûmes eût eûtes furent fus fusse
fussent fusses fussiez fussions fut fûmes fûtes ici il ils j je l la le les leur leurs lui m ma mais
me mes moi mon même n ne nos notre nous on ont ou par pas pour qu que quelle quels qui s sa sans se
sera serai seraient serais serait seras serez seriez serions serons seront ses soient sois soit sont
soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y à étaient étais était étant
étiez étions étée étées êtes
"""),
    "es": _listed("""
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el
ella ellas ellos en entre era erais eran eras eres es esa esas ese eso esos esta estaba estabais
estaban estabas estad estada estadas estado estados estamos estando estar estaremos estará estarán
estarás estaré estaréis estaría estaríais estaríamos estarían estarías estas este estemos esto estos
estoy estuve estuviera estuvierais estuvieran estuvieras estuvieron estuviese estuvieseis estuviesen
estuvieses estuvimos estuviste estuvisteis estuviéramos estuviésemos estuvo está estábamos estáis
están estás esté estéis estén estés fue fuera fuerais fueran fueras fueron fuese fueseis fuesen
fueses fui fuimos fuiste fuisteis fuéramos fuésemos ha habida habidas habido habidos habiendo
habremos habrá habrán habrás habré habréis habría habríais habríamos habrían habrías habéis había
habíais habíamos habían habías han has hasta hay haya hayamos hayan hayas hayáis he hemos hube
hubiera hubierais hubieran hubieras hubieron hubiese hubieseis hubiesen hubieses hubimos hubiste
hubisteis hubiéramos hubiésemos hubo la las le les lo los me mi mis mucho muchos muy más mí mía mías
mío míos nada ni no nos nosotras nosotros nuestra nuestras nuestro nuestros o os otra otras otro
otros para pero poco por porque que quien quienes qué se sea seamos sean seas seremos será serán
serás seré seréis sería seríais seríamos serían serías seáis sido siendo sin sobre sois somos son
soy su sus suya suyas suyo suyos sí también tanto te tendremos tendrá tendrán tendrás tendré
tendréis tendría tendríais tendríamos tendrían tendrías tened tenemos tenga tengamos tengan tengas
tengo tengáis tenida tenidas tenido tenidos teniendo tenéis tenía teníais teníamos tenían tenías ti
tiene tienen tienes todo todos tu tus tuve tuviera tuvierais tuvieran tuvieras tuvieron tuviese
tuvieseis tuviesen tuvieses tuvimos tuviste tuvisteis tuviéramos tuviésemos tuvo tuya tuyas tuyo
tuyos tú un una uno unos vosotras vosotros vuestra vuestras vuestro vuestros y ya yo él éramos
"""),
}
ANY_STOP_WORD = frozenset().union(*STOP_WORDS.values())
WORD = re.compile(r"[^\W_]+")  # runs of letters and digits: tantivy's simple tokenizer, OpenSearch's `alnum`


def without_stop_words(text: str) -> str:
    """The query's words, space-joined, less every word that is a stop word in English, French or Spanish.

    A query is read by every language's analyser and the terms pooled, so a stop word of one language passes
    through the others: English "a" would match French records where "a" means "has", "for" Spanish "foro",
    Spanish "del" French "délais". A word in capitals is an acronym, not a stop word ("UN", "EU"), unless
    the whole query is in capitals. The price: a lowercase word that is a stop word in one language and a
    content word in another (Spanish "sea") leaves the keyword leg too; the semantic leg still reads it.
    A query made only of stop words is kept whole, so that it still finds something."""
    words = WORD.findall(text)
    shouted = text.isupper()
    kept = [
        word
        for word in words
        if word.lower() not in ANY_STOP_WORD or (len(word) > 1 and word.isupper() and not shouted)
    ]
    return " ".join(kept) if kept else text


def semantic_weight(params: RankingParams, language: Mapping[str, float]) -> float:
    """Weight of the semantic leg: full for the model's languages, `semantic_weight_other` for the rest."""
    share = sum(language.get(lang, 0.0) for lang in params.model_languages)
    return params.semantic_weight * share + params.semantic_weight_other * (1.0 - share)


def language_probabilities(
    words: Sequence[str], frequency: Callable[[str, str], int], sizes: Mapping[str, int]
) -> dict[str, float]:
    """P(language | query words): naive Bayes over how many stored records of each language hold each word.

    `frequency(word, lang)` counts records in `lang` containing the word (as `lang` analyses it; a stop word
    of `lang` counts as present everywhere), `sizes[lang]` the records in `lang`. The store itself is the
    profile: no model to ship, and the guess follows the corpus. Uniform when nothing is known."""
    langs = [lang for lang in LANGUAGES if sizes.get(lang, 0) > 0]
    if not langs:
        return {lang: 1.0 / len(LANGUAGES) for lang in LANGUAGES}
    logp = {lang: 0.0 for lang in langs}
    for word in words:
        for lang in langs:
            logp[lang] += math.log((frequency(word, lang) + 0.5) / (sizes[lang] + 1.0))
    top = max(logp.values())
    total = sum(math.exp(v - top) for v in logp.values())
    return {lang: math.exp(logp[lang] - top) / total if lang in logp else 0.0 for lang in LANGUAGES}


LabelDocuments = dict[str, tuple[list[dict[str, int]], dict[str, int], float]]
# label documents per analyser, held no longer than the analyser (an OpenSearch backend owns its analyser)
_LABELS: weakref.WeakKeyDictionary[Analyse, LabelDocuments] = weakref.WeakKeyDictionary()
_LABELS_LOCK = threading.Lock()


def _label_documents(analyse: Analyse) -> LabelDocuments:
    """The objective labels as `analyse` reads them, read once per analyser while it lives."""
    try:
        with _LABELS_LOCK:
            found = _LABELS.get(analyse)
    except TypeError:  # an analyser that takes no weak reference: read each time
        return _read_labels(analyse)
    if found is None:
        found = _read_labels(analyse)  # outside the lock: a server analyser makes requests
        with _LABELS_LOCK:
            _LABELS[analyse] = found
    return found


def _read_labels(analyse: Analyse) -> LabelDocuments:
    """Per language: term counts of each objective's labels (long, short), their df, mean length."""
    out = {}
    for lang in LANGUAGES:
        docs = []
        for number in sorted(OBJECTIVES):
            term = OBJECTIVES[number]
            counts: dict[str, int] = {}
            for token in analyse(f"{term.labels[lang]}. {term.short.get(lang, '')}", lang):
                counts[token] = counts.get(token, 0) + 1
            docs.append(counts)
        df: dict[str, int] = {}
        for counts in docs:
            for token in counts:
                df[token] = df.get(token, 0) + 1
        out[lang] = (docs, df, sum(sum(c.values()) for c in docs) / len(docs))
    return out


def named_objectives(text: str, analyse: Analyse, keep: float = 0.5, k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    """How strongly the query names each objective: BM25 of its words against the labels in en/fr/es.

    Objectives scoring below `keep` x the best are dropped; the rest sum to 1 (all zero when none matches)."""
    scores = np.zeros(OBJECTIVE_COUNT)
    for lang, (docs, df, avgdl) in _label_documents(analyse).items():
        terms = dict.fromkeys(analyse(text, lang))
        for i, counts in enumerate(docs):
            length = sum(counts.values())
            for term in terms:
                tf = counts.get(term, 0)
                if tf:
                    idf = math.log(1 + (len(docs) - df[term] + 0.5) / (df[term] + 0.5))
                    scores[i] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avgdl))
    if scores.max() <= 0:
        return scores
    scores[scores < keep * scores.max()] = 0.0
    return scores / scores.sum()


def feedback_objectives(ranked: Sequence[str], objectives: Callable[[str], Sequence[int]], depth: int) -> np.ndarray:
    """Objective mix of the best `depth` records (each record's objectives share its weight of one)."""
    mix = np.zeros(OBJECTIVE_COUNT)
    for record_id in ranked[:depth]:
        numbers = [n for n in objectives(record_id) if 1 <= n <= OBJECTIVE_COUNT]
        for number in numbers:
            mix[number - 1] += 1.0 / len(numbers)
    return mix / mix.sum() if mix.sum() > 0 else mix


def objective_profile(named: np.ndarray, feedback: np.ndarray, params: RankingParams) -> np.ndarray:
    """The query's objectives: label matches and feedback mixed, objectives under `objective_min_share` of the
    strongest dropped (a stray objective of one feedback record should not pull its whole class in)."""
    share = params.objective_feedback_share
    if named.sum() == 0:
        profile = feedback.copy()
    elif feedback.sum() == 0:
        profile = named.copy()
    else:
        profile = (1 - share) * named + share * feedback
    if profile.max() > 0:
        profile[profile < params.objective_min_share * profile.max()] = 0.0
    return profile


def objective_leg(
    candidates: Sequence[str], objectives: Callable[[str], Sequence[int]], profile: np.ndarray, tie: Mapping[str, float]
) -> list[tuple[str, float]]:
    """Candidates carrying part of the profile, by the share they carry, ties by `tie` (cosine), then id."""
    shares = [float(x) for x in profile]  # plain floats: indexing a numpy array per record is slow
    scored = []
    for record_id in candidates:
        mass = sum(shares[n - 1] for n in set(objectives(record_id)) if 1 <= n <= OBJECTIVE_COUNT)
        if mass > 0:
            scored.append((record_id, mass))
    scored.sort(key=lambda item: (-item[1], -tie.get(item[0], -1.0), item[0]))
    return scored


def infer_objectives(matrix: np.ndarray, declared: Sequence[Sequence[int]], k: int) -> list[list[int]]:
    """Each record's objectives: its declared ones, else the `k` whose centroid is nearest its vector.

    A centroid is the mean vector of the records declaring that objective (none for an objective nobody
    declares). On records that declare objectives (5-fold), the nearest centroid is one of theirs 61% of the
    time; a logistic regression on tf-idf and vectors does 82%, but needs training and ranks hardly better."""
    out = [list(d) for d in declared]
    missing = [i for i, d in enumerate(declared) if not d]
    if not missing or k <= 0 or matrix.shape[0] == 0:
        return out
    membership = np.zeros((matrix.shape[0], OBJECTIVE_COUNT), dtype=np.float32)
    for i, numbers in enumerate(declared):
        for n in numbers:
            if 1 <= n <= OBJECTIVE_COUNT:
                membership[i, n - 1] = 1.0
    centroids, usable = unit_centroids(membership.T @ matrix, membership.sum(axis=0))
    if not usable.any():
        return out
    for i, numbers in zip(missing, nearest_objectives(matrix[missing] @ centroids.T, usable, k), strict=True):
        out[i] = numbers
    return out


def unit_centroids(sums: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Objective centroids as unit vectors from the sums of their records' vectors and the records' counts,
    and which objectives have one (some record declares it)."""
    centroids = np.array(sums)
    norms = np.linalg.norm(centroids, axis=1)
    usable = (np.asarray(counts) > 0) & (norms > 0)
    centroids[usable] /= norms[usable, None]
    return centroids, usable


def nearest_objectives(sims: np.ndarray, usable: np.ndarray, k: int) -> list[list[int]]:
    """Per row of cosines to the centroids, the numbers of the `k` nearest usable objectives, nearest first
    (ties in objective order)."""
    sims = np.array(sims, ndmin=2)
    sims[:, ~usable] = -np.inf
    best = np.argsort(-sims, axis=1, kind="stable")[:, : min(k, int(usable.sum()))]
    return (best + 1).tolist()


def hybrid_legs(
    params: RankingParams,
    text: str,
    analyse: Analyse,
    keyword: Ranked,
    semantic: Ranked,
    language: Mapping[str, float],
    record_objectives: Callable[[Sequence[str]], Mapping[str, Sequence[int]]],
) -> tuple[list[Ranked], list[float]]:
    """The ranked lists hybrid search fuses and their weights: keyword, semantic (weighted by the query's
    `language`) and, when the query has an objective profile, the objective leg over the same candidates.

    Both engines call this with what their store knows: `analyse` reads text as the label field does, and
    `record_objectives(ids)` gives those records' objectives (declared, else inferred); it is only asked
    for when the objective leg is on, once, for the candidates of both legs."""
    weights = [params.keyword_weight, semantic_weight(params, language)]
    lists: list[Ranked] = [keyword, semantic]
    if params.objective_weight <= 0:
        return lists, weights
    candidates = list(dict.fromkeys([i for i, _ in keyword] + [i for i, _ in semantic]))
    objectives = record_objectives(candidates)

    def of(record_id: str) -> Sequence[int]:
        return objectives.get(record_id, ())

    named = named_objectives(without_stop_words(text), analyse)
    feedback = feedback_objectives([i for i, _ in keyword], of, params.objective_feedback_depth)
    profile = objective_profile(named, feedback, params)
    if not np.any(profile):
        return lists, weights
    leg = objective_leg(candidates, of, profile, dict(semantic))
    return [*lists, leg], rescaled([*weights, params.objective_weight], params)


def rescaled(weights: list[float], params: RankingParams) -> list[float]:
    """Weights scaled to sum to keyword_weight + semantic_weight: a fused score keeps the range it had with
    two legs (at most that sum for weighted min-max); only the legs' relative weights change the order."""
    total = sum(weights)
    scale = (params.keyword_weight + params.semantic_weight) / total if total else 1.0
    return [w * scale for w in weights]
