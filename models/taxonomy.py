"""The GCM taxonomy: 23 objectives, 10 guiding principles, entity types, natures and regions.

Labels in English, French and Spanish live here once, so the indexer (to read a form in any of the three
languages), the API (to answer with labels in the asked language) and the UI share one vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("en", "fr", "es")


@dataclass(frozen=True)
class Term:
    """One controlled value with its labels; `short` labels fit on a chip, `aliases` help the normaliser."""

    code: str
    labels: dict[str, str]
    short: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "en", short: bool = False) -> str:
        """Label in `lang`, falling back to English."""
        source = self.short if short and self.short else self.labels
        return source.get(lang) or source["en"]


def _t(code: str, en: str, fr: str, es: str, short: tuple[str, str, str] | None = None, aliases=()) -> Term:
    shorts = dict(zip(LANGUAGES, short, strict=True)) if short else {}
    return Term(code, {"en": en, "fr": fr, "es": es}, shorts, tuple(aliases))


OBJECTIVES: dict[int, Term] = {
    int(t.code): t
    for t in [
        _t(
            "1",
            "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
            "Collecter et utiliser des données exactes et ventilées qui serviront à l'élaboration de politiques "
            "fondées sur la connaissance des faits",
            "Recopilar y utilizar datos exactos y desglosados para formular políticas con base empírica",
            ("Data", "Données", "Datos"),
        ),
        _t(
            "2",
            "Minimize the adverse drivers and structural factors that compel people to leave their country of origin",
            "Lutter contre les facteurs négatifs et les problèmes structurels qui poussent des personnes à quitter "
            "leur pays d'origine",
            "Minimizar los factores adversos y estructurales que obligan a las personas a abandonar su país de origen",
            ("Drivers of migration", "Facteurs de départ", "Factores de expulsión"),
        ),
        _t(
            "3",
            "Provide accurate and timely information at all stages of migration",
            "Fournir dans les meilleurs délais des informations exactes à toutes les étapes de la migration",
            "Proporcionar información exacta y oportuna en todas las etapas de la migración",
            ("Information", "Information", "Información"),
        ),
        _t(
            "4",
            "Ensure that all migrants have proof of legal identity and adequate documentation",
            "Munir tous les migrants d'une preuve d'identité légale, de papiers d'identité et d'autres documents",
            "Velar por que todos los migrantes tengan pruebas de su identidad jurídica y documentación adecuada",
            ("Legal identity", "Identité légale", "Identidad jurídica"),
        ),
        _t(
            "5",
            "Enhance availability and flexibility of pathways for regular migration",
            "Faire en sorte que les filières de migration régulière soient accessibles et plus souples",
            "Aumentar la disponibilidad y flexibilidad de las vías de migración regular",
            ("Regular pathways", "Filières régulières", "Vías regulares"),
        ),
        _t(
            "6",
            "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work",
            "Favoriser des pratiques de recrutement justes et éthiques et assurer les conditions d'un travail décent",
            "Facilitar la contratación equitativa y ética y salvaguardar las condiciones que garantizan el trabajo "
            "decente",
            ("Fair recruitment", "Recrutement éthique", "Contratación ética"),
        ),
        _t(
            "7",
            "Address and reduce vulnerabilities in migration",
            "S'attaquer aux facteurs de vulnérabilité liés aux migrations et les réduire",
            "Abordar y reducir las vulnerabilidades en la migración",
            ("Vulnerabilities", "Vulnérabilités", "Vulnerabilidades"),
        ),
        _t(
            "8",
            "Save lives and establish coordinated international efforts on missing migrants",
            "Sauver des vies et mettre en place des initiatives internationales coordonnées sur les migrants disparus",
            "Salvar vidas y emprender iniciativas internacionales coordinadas sobre los migrantes desaparecidos",
            ("Missing migrants", "Migrants disparus", "Migrantes desaparecidos"),
        ),
        _t(
            "9",
            "Strengthen the transnational response to smuggling of migrants",
            "Renforcer l'action transnationale face au trafic de migrants",
            "Reforzar la respuesta transnacional al tráfico ilícito de migrantes",
            ("Smuggling", "Trafic de migrants", "Tráfico ilícito"),
        ),
        _t(
            "10",
            "Prevent, combat and eradicate trafficking in persons in the context of international migration",
            "Prévenir, combattre et éliminer la traite de personnes dans le cadre des migrations internationales",
            "Prevenir, combatir y erradicar la trata de personas en el contexto de la migración internacional",
            ("Trafficking", "Traite", "Trata"),
        ),
        _t(
            "11",
            "Manage borders in an integrated, secure and coordinated manner",
            "Gérer les frontières de manière intégrée, sûre et coordonnée",
            "Gestionar las fronteras de manera integrada, segura y coordinada",
            ("Borders", "Frontières", "Fronteras"),
        ),
        _t(
            "12",
            "Strengthen certainty and predictability in migration procedures for appropriate screening, "
            "assessment and referral",
            "Renforcer la prévisibilité et la sécurité des procédures migratoires pour garantir des contrôles, des "
            "évaluations et une orientation appropriés",
            "Aumentar la certidumbre y previsibilidad de los procedimientos migratorios para la adecuada "
            "verificación de antecedentes, evaluación y derivación",
            ("Screening & referral", "Contrôle et orientation", "Evaluación y derivación"),
        ),
        _t(
            "13",
            "Use migration detention only as a measure of last resort and work towards alternatives",
            "Ne recourir à la rétention administrative des migrants qu'en dernier ressort et chercher des solutions "
            "de rechange",
            "Utilizar la detención de migrantes solo como último recurso y buscar otras alternativas",
            ("Alternatives to detention", "Alternatives à la rétention", "Alternativas a la detención"),
        ),
        _t(
            "14",
            "Enhance consular protection, assistance and cooperation throughout the migration cycle",
            "Renforcer la protection, l'assistance et la coopération consulaires tout au long du cycle migratoire",
            "Mejorar la protección, asistencia y cooperación consulares a lo largo de todo el ciclo migratorio",
            ("Consular protection", "Protection consulaire", "Protección consular"),
        ),
        _t(
            "15",
            "Provide access to basic services for migrants",
            "Assurer l'accès des migrants aux services de base",
            "Proporcionar a los migrantes acceso a servicios básicos",
            ("Basic services", "Services de base", "Servicios básicos"),
        ),
        _t(
            "16",
            "Empower migrants and societies to realize full inclusion and social cohesion",
            "Donner aux migrants et aux sociétés des moyens en faveur de la pleine intégration et de la cohésion "
            "sociale",
            "Empoderar a los migrantes y las sociedades para lograr la plena inclusión y la cohesión social",
            ("Inclusion & cohesion", "Intégration et cohésion", "Inclusión y cohesión"),
            aliases=(
                "Donner aux migrants et aux sociétés les moyens de réaliser la pleine intégration et la "
                "cohésion sociale",
            ),
        ),
        _t(
            "17",
            "Eliminate all forms of discrimination and promote evidence-based public discourse to shape "
            "perceptions of migration",
            "Éliminer toutes les formes de discrimination et encourager un débat public fondé sur l'analyse des "
            "faits afin de faire évoluer la manière dont les migrations sont perçues",
            "Eliminar todas las formas de discriminación y promover un discurso público con base empírica para "
            "modificar las percepciones de la migración",
            ("Non-discrimination", "Non-discrimination", "No discriminación"),
        ),
        _t(
            "18",
            "Invest in skills development and facilitate mutual recognition of skills, qualifications and competences",
            "Investir dans le perfectionnement des compétences et faciliter la reconnaissance mutuelle des "
            "aptitudes, qualifications et compétences",
            "Invertir en el desarrollo de aptitudes y facilitar el reconocimiento mutuo de aptitudes, "
            "cualificaciones y competencias",
            ("Skills & recognition", "Compétences", "Aptitudes"),
        ),
        _t(
            "19",
            "Create conditions for migrants and diasporas to fully contribute to sustainable development in "
            "all countries",
            "Créer les conditions permettant aux migrants et aux diasporas de contribuer pleinement au "
            "développement durable dans tous les pays",
            "Crear las condiciones necesarias para que los migrantes y las diásporas puedan contribuir plenamente "
            "al desarrollo sostenible en todos los países",
            ("Diasporas & development", "Diasporas et développement", "Diásporas y desarrollo"),
        ),
        _t(
            "20",
            "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
            "Rendre les envois de fonds plus rapides, plus sûrs et moins coûteux et favoriser l'inclusion "
            "financière des migrants",
            "Promover transferencias de remesas más rápidas, seguras y económicas y fomentar la inclusión "
            "financiera de los migrantes",
            ("Remittances", "Envois de fonds", "Remesas"),
        ),
        _t(
            "21",
            "Cooperate in facilitating safe and dignified return and readmission, as well as sustainable reintegration",
            "Coopérer en vue de faciliter le retour et la réadmission des migrants en toute sécurité et dans la "
            "dignité, ainsi que leur réintégration durable",
            "Colaborar para facilitar el regreso y la readmisión en condiciones de seguridad y dignidad, así como "
            "la reintegración sostenible",
            ("Return & reintegration", "Retour et réintégration", "Retorno y reintegración"),
        ),
        _t(
            "22",
            "Establish mechanisms for the portability of social security entitlements and earned benefits",
            "Mettre en place des mécanismes de portabilité des droits de sécurité sociale et des avantages acquis",
            "Establecer mecanismos para la portabilidad de la seguridad social y las prestaciones adquiridas",
            ("Social security portability", "Portabilité sécurité sociale", "Portabilidad seguridad social"),
        ),
        _t(
            "23",
            "Strengthen international cooperation and global partnerships for safe, orderly and regular migration",
            "Renforcer la coopération internationale et les partenariats mondiaux pour des migrations sûres, "
            "ordonnées et régulières",
            "Fortalecer la cooperación internacional y las alianzas mundiales para la migración segura, ordenada y "
            "regular",
            ("International cooperation", "Coopération internationale", "Cooperación internacional"),
        ),
    ]
}

OBJECTIVE_COUNT = 23  # the GCM has 23 objectives, numbered 1-23 (checked against OBJECTIVES below)

PRINCIPLES: dict[str, Term] = {
    t.code: t
    for t in [
        _t(
            "people-centred",
            "People-centred",
            "Priorité à la dimension humaine",
            "Centrarse en las personas",
            aliases=("people centered", "people-centered", "centrado en las personas"),
        ),
        _t(
            "international-cooperation",
            "International cooperation",
            "Coopération internationale",
            "Cooperación internacional",
        ),
        _t("national-sovereignty", "National sovereignty", "Souveraineté nationale", "Soberanía nacional"),
        _t(
            "rule-of-law",
            "Rule of law and due process",
            "Primauté du droit et garanties d'une procédure régulière",
            "Estado de derecho y garantías procesales",
            aliases=("rule of law",),
        ),
        _t("sustainable-development", "Sustainable development", "Développement durable", "Desarrollo sostenible"),
        _t("human-rights", "Human rights", "Droits de l'homme", "Derechos humanos", aliases=("droits humains",)),
        _t(
            "gender-responsive",
            "Gender-responsive",
            "Prise en compte de la problématique femmes-hommes",
            "Perspectiva de género",
            aliases=("gender responsive", "sensible au genre"),
        ),
        _t(
            "child-sensitive",
            "Child-sensitive",
            "Adaptation aux besoins de l'enfant",
            "Perspectiva infantil",
            aliases=("child sensitive",),
        ),
        _t(
            "whole-of-government",
            "Whole-of-government approach",
            "Approche mobilisant l'ensemble des pouvoirs publics",
            "Enfoque pangubernamental",
            aliases=("whole of government",),
        ),
        _t(
            "whole-of-society",
            "Whole-of-society approach",
            "Approche mobilisant l'ensemble de la société",
            "Enfoque pansocial",
            aliases=("whole of society",),
        ),
    ]
}

ENTITY_TYPES: dict[str, Term] = {
    t.code: t
    for t in [
        _t(
            "member_state",
            "Member State",
            "État membre",
            "Estado Miembro",
            aliases=("states", "state", "government", "ministry", "member states", "estado", "états"),
        ),
        _t(
            "local_authority",
            "City / local authority",
            "Ville / autorité locale",
            "Ciudad / autoridad local",
            aliases=(
                "cities, municipalities, and local authority",
                "city or local authority",
                "city",
                "municipality",
                "local authority",
                "local government",
                "cities",
                "ville",
                "municipalité",
                "municipalidad",
                "alcaldía",
                "ciudad",
                "villes, municipalités et autorités locales",
                "ciudades, municipios y autoridades locales",
                "regional government",
            ),
        ),
        _t(
            "un_entity",
            "UN entity",
            "Entité des Nations Unies",
            "Entidad de las Naciones Unidas",
            aliases=("un system", "united nations", "un agency", "entité onu", "entidad onu"),
        ),
        _t(
            "international_organization",
            "International organization",
            "Organisation internationale",
            "Organización internacional",
            aliases=("international organizations", "intergovernmental organization", "regional organization"),
        ),
        _t(
            "civil_society",
            "Civil society organization",
            "Organisation de la société civile",
            "Organización de la sociedad civil",
            aliases=(
                "civil society",
                "ngo",
                "non-governmental organization",
                "société civile",
                "sociedad civil",
                "faith-based organization",
            ),
        ),
        _t(
            "migrant_diaspora",
            "Migrant or diaspora organization",
            "Organisation de migrants ou de la diaspora",
            "Organización de migrantes o de la diáspora",
            aliases=("migrant and diaspora organization", "diaspora organization", "migrant organization"),
        ),
        _t(
            "private_sector",
            "Private sector",
            "Secteur privé",
            "Sector privado",
            aliases=("business", "company", "employer", "employers' organization"),
        ),
        _t(
            "academia",
            "Academia and research",
            "Milieu universitaire et recherche",
            "Academia e investigación",
            aliases=("academia and researchers", "academia", "university", "research institute", "universidad"),
        ),
        _t("trade_union", "Trade union", "Syndicat", "Sindicato", aliases=("trade unions", "workers' organization")),
        _t(
            "nhri",
            "National human rights institution",
            "Institution nationale des droits de l'homme",
            "Institución nacional de derechos humanos",
            aliases=("national human rights institutions",),
        ),
        _t("parliament", "Parliament", "Parlement", "Parlamento", aliases=("parliamentarians",)),
        _t("other", "Other", "Autre", "Otro", aliases=("others", "autres", "otros")),
    ]
}

NATURES: dict[str, Term] = {
    t.code: t
    for t in [
        _t(
            "financial",
            "Financial",
            "Financière",
            "Financiera",
            aliases=("financial (e.g. contribution to the migration mptf)", "financier", "financiero"),
        ),
        _t(
            "technical",
            "Material / technical",
            "Matérielle / technique",
            "Material / técnica",
            aliases=("material/technical", "material", "technical", "matériel", "matérielle", "technique", "técnica"),
        ),
        _t(
            "policy",
            "Policy-oriented",
            "Axée sur les politiques",
            "Orientada a políticas",
            aliases=(
                "policy-oriented",
                "policy oriented",
                "axée sur les politiques",
                "orientée politiques",
                "orientada a las políticas",
                "orientado a políticas",
            ),
        ),
        _t(
            "process",
            "Process-oriented",
            "Axée sur les processus",
            "Orientada a procesos",
            aliases=(
                "process-oriented",
                "process oriented",
                "axée sur les processus",
                "orientada a los procesos",
                "orientado a procesos",
            ),
        ),
    ]
}

COLLECTIONS: dict[str, Term] = {
    t.code: t
    for t in [
        _t("pledge", "Pledge", "Annonce de contribution", "Compromiso"),
        _t("practice", "Good practice", "Bonne pratique", "Buena práctica"),
        _t("local_action", "Local action", "Action locale", "Acción local"),
    ]
}

# UN M49 regions and sub-regions (the standard's English names are the stored values).
REGIONS: dict[str, Term] = {
    t.code: t
    for t in [
        _t("Africa", "Africa", "Afrique", "África"),
        _t("Americas", "Americas", "Amériques", "Américas"),
        _t("Asia", "Asia", "Asie", "Asia"),
        _t("Europe", "Europe", "Europe", "Europa"),
        _t("Oceania", "Oceania", "Océanie", "Oceanía"),
        _t("Global", "Global", "Mondial", "Mundial"),
    ]
}

SUBREGIONS: dict[str, Term] = {
    t.code: t
    for t in [
        _t("Northern Africa", "Northern Africa", "Afrique du Nord", "África septentrional"),
        _t("Sub-Saharan Africa", "Sub-Saharan Africa", "Afrique subsaharienne", "África subsahariana"),
        _t(
            "Latin America and the Caribbean",
            "Latin America and the Caribbean",
            "Amérique latine et Caraïbes",
            "América Latina y el Caribe",
        ),
        _t("Northern America", "Northern America", "Amérique septentrionale", "América septentrional"),
        _t("Central Asia", "Central Asia", "Asie centrale", "Asia central"),
        _t("Eastern Asia", "Eastern Asia", "Asie de l'Est", "Asia oriental"),
        _t("South-eastern Asia", "South-eastern Asia", "Asie du Sud-Est", "Asia sudoriental"),
        _t("Southern Asia", "Southern Asia", "Asie du Sud", "Asia meridional"),
        _t("Western Asia", "Western Asia", "Asie occidentale", "Asia occidental"),
        _t("Eastern Europe", "Eastern Europe", "Europe de l'Est", "Europa oriental"),
        _t("Northern Europe", "Northern Europe", "Europe du Nord", "Europa septentrional"),
        _t("Southern Europe", "Southern Europe", "Europe du Sud", "Europa meridional"),
        _t("Western Europe", "Western Europe", "Europe de l'Ouest", "Europa occidental"),
        _t(
            "Australia and New Zealand",
            "Australia and New Zealand",
            "Australie et Nouvelle-Zélande",
            "Australia y Nueva Zelandia",
        ),
        _t("Melanesia", "Melanesia", "Mélanésie", "Melanesia"),
        _t("Micronesia", "Micronesia", "Micronésie", "Micronesia"),
        _t("Polynesia", "Polynesia", "Polynésie", "Polinesia"),
    ]
}

# Regions of implementation as sources word them (UN regional groupings, not M49) -> M49 regions, sub-regions.
PUBLISHED_REGIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "global": (("Global",), ()),
    "africa": (("Africa",), ()),
    "afrique": (("Africa",), ()),
    "áfrica": (("Africa",), ()),
    "americas": (("Americas",), ()),
    "the americas": (("Americas",), ()),
    "amériques": (("Americas",), ()),
    "américas": (("Americas",), ()),
    "asia": (("Asia",), ()),
    "asie": (("Asia",), ()),
    "europe": (("Europe",), ()),
    "europa": (("Europe",), ()),
    "oceania": (("Oceania",), ()),
    "pacific": (("Oceania",), ()),
    "asia and the pacific": (("Asia", "Oceania"), ()),
    "asia-pacific": (("Asia", "Oceania"), ()),
    "asie et pacifique": (("Asia", "Oceania"), ()),
    "asia y el pacífico": (("Asia", "Oceania"), ()),
    "arab states": (("Africa", "Asia"), ("Northern Africa", "Western Asia")),
    "middle east and north africa": (("Africa", "Asia"), ("Northern Africa", "Western Asia")),
    "mena": (("Africa", "Asia"), ("Northern Africa", "Western Asia")),
    "états arabes": (("Africa", "Asia"), ("Northern Africa", "Western Asia")),
    "estados árabes": (("Africa", "Asia"), ("Northern Africa", "Western Asia")),
    "latin america and the caribbean": (("Americas",), ("Latin America and the Caribbean",)),
    "latin america": (("Americas",), ("Latin America and the Caribbean",)),
    "south america": (("Americas",), ("Latin America and the Caribbean",)),
    "central america": (("Americas",), ("Latin America and the Caribbean",)),
    "caribbean": (("Americas",), ("Latin America and the Caribbean",)),
    "amérique latine et caraïbes": (("Americas",), ("Latin America and the Caribbean",)),
    "américa latina y el caribe": (("Americas",), ("Latin America and the Caribbean",)),
    "north america": (("Americas",), ("Northern America",)),
    "northern america": (("Americas",), ("Northern America",)),
    "europe and the commonwealth of independent states (ecis)": (("Europe", "Asia"), ()),
    "europe and central asia": (("Europe", "Asia"), ("Central Asia",)),
    "sub-saharan africa": (("Africa",), ("Sub-Saharan Africa",)),
    "west africa": (("Africa",), ("Sub-Saharan Africa",)),
    "east africa": (("Africa",), ("Sub-Saharan Africa",)),
    "horn of africa": (("Africa",), ("Sub-Saharan Africa",)),
    "southern africa": (("Africa",), ("Sub-Saharan Africa",)),
    "north africa": (("Africa",), ("Northern Africa",)),
    "middle east": (("Asia",), ("Western Asia",)),
    "south asia": (("Asia",), ("Southern Asia",)),
    "southeast asia": (("Asia",), ("South-eastern Asia",)),
    "south-east asia": (("Asia",), ("South-eastern Asia",)),
    "central asia": (("Asia",), ("Central Asia",)),
    "western balkans": (("Europe",), ("Southern Europe",)),
}

GLOBAL = "GLOBAL"  # the value "Global" takes in `countries`: implemented worldwide, not a country

FACET_TAXONOMIES: dict[str, dict] = {
    "collection": COLLECTIONS,
    "objective": OBJECTIVES,
    "principle": PRINCIPLES,
    "entity_type": ENTITY_TYPES,
    "nature": NATURES,
    "region": REGIONS,
    "subregion": SUBREGIONS,
}

LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "fr": "anglais", "es": "inglés"},
    "fr": {"en": "French", "fr": "français", "es": "francés"},
    "es": {"en": "Spanish", "fr": "espagnol", "es": "español"},
    "pt": {"en": "Portuguese", "fr": "portugais", "es": "portugués"},
    "de": {"en": "German", "fr": "allemand", "es": "alemán"},
    "it": {"en": "Italian", "fr": "italien", "es": "italiano"},
    "ca": {"en": "Catalan", "fr": "catalan", "es": "catalán"},
    "ar": {"en": "Arabic", "fr": "arabe", "es": "árabe"},
}


def objective_label(number: int, lang: str = "en", short: bool = False) -> str:
    """`15. Provide access to basic services for migrants` style label, or the short chip label."""
    term = OBJECTIVES[number]
    text = term.label(lang, short)
    return text if short else f"{number}. {text}"


assert sorted(OBJECTIVES) == list(range(1, OBJECTIVE_COUNT + 1)), "objectives must be 1-23"
