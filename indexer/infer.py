"""Entity type inferred from an entity's name when the source states none we know ("City of ...",
"Ministry of ...", "Alcaldía de ...", "UNHCR"): the record is then marked `entity_type_inferred`."""

from __future__ import annotations

import re

from indexer.folding import fold

# Checked in order: the first rule whose pattern matches decides. Patterns run on the folded name, except
# the acronyms, which are matched case-sensitively on the name as written ("UN", not "un").
_RULES: tuple[tuple[str, str], ...] = (
    (
        "local_authority",
        r"\b(city|cities of|town|municipal\w*|municipality|mayor\w*|mairie|ville de|ville d'|"
        r"commune de|alcald\w+|ayuntamiento|intendencia|prefeitura|comune di|county government|"
        r"district council|city council|metropolitan|gobierno de la ciudad|local government)\b",
    ),
    ("un_entity", r"\b(united nations|nations unies|naciones unidas|un[- ]habitat|un women|onu[- ]?\w*)\b"),
    (
        "international_organization",
        r"\b(european union|union europeenne|union europea|african union|"
        r"union africaine|organization of american states|intergovernmental|"
        r"international organi[sz]ation)\b",
    ),
    (
        "member_state",
        r"\b(ministry|ministere|ministerio|ministre|government of|gouvernement|gobierno|"
        r"republic of|republique|republica|kingdom of|royaume|reino de|embassy|ambassade|"
        r"embajada|permanent mission|mission permanente|mision permanente|federal office|"
        r"secretaria de estado|department of state)\b",
    ),
    (
        "academia",
        r"\b(universit\w+|college|academy|research (centre|center|institute)|institut de recherche|"
        r"instituto de investigacion)\b",
    ),
    (
        "trade_union",
        r"\b(trade unions?|syndicat\w*|sindicato\w*|workers'? (union|confederation)|"
        r"confederation of labou?r)\b",
    ),
    ("migrant_diaspora", r"\b(diaspora\w*|migrant[s']* (association|organi[sz]ation|network))\b"),
    (
        "civil_society",
        r"\b(ngo|association|asociacion|foundation|fondation|fundacion|caritas|red cross|"
        r"croix-rouge|cruz roja|non-governmental|civil society|societe civile|sociedad civil)\b",
    ),
    (
        "private_sector",
        r"\b(ltd|inc|plc|s\.a\.|gmbh|company|corporation|chamber of commerce|"
        r"employers'? (federation|organi[sz]ation))\b",
    ),
)
_UN_ACRONYMS = re.compile(
    r"\b(UN|UNHCR|IOM|OIM|UNDP|PNUD|UNICEF|ILO|OIT|UNODC|OHCHR|HCDH|UNFPA|WHO|OMS|WFP|"
    r"PAM|UNESCO|FAO|UNITAR|UNCTAD|UNEP|UNRWA|UNOPS|UNAIDS|ONUSIDA|IFAD|ITC|UNU|ACNUR|"
    r"UNIDO|ESCAP|ECLAC|CEPAL|ECA|ESCWA|UNECE|DESA)\b"
)


def infer_entity_type(name: str) -> str | None:
    """Entity type code guessed from a name, or None when nothing in it says."""
    folded = fold(name)
    local = re.search(_RULES[0][1], folded)
    if local:
        return "local_authority"
    if _UN_ACRONYMS.search(name):
        return "un_entity"
    for code, pattern in _RULES[1:]:
        if re.search(pattern, folded):
            return code
    return None
