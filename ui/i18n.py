"""The UI's own words in English, French and Spanish; taxonomy labels come from the API (/taxonomy?lang=)."""

from __future__ import annotations

from models.taxonomy import LANGUAGES as LANGUAGE_CODES

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}

_T: dict[str, tuple[str, str, str]] = {
    # key: (en, fr, es)
    "app_title": (
        "GCM pledges and practices",
        "Annonces de contribution et pratiques du PMM",
        "Compromisos y prácticas del PMM",
    ),
    "language": ("Language", "Langue", "Idioma"),
    "page_search": ("Search", "Recherche", "Búsqueda"),
    "page_pledge": ("Pledge", "Annonce de contribution", "Compromiso"),
    "page_explore": ("Explore", "Explorer", "Explorar"),
    "page_compare": ("Compare", "Comparer", "Comparar"),
    "query": (
        "Search pledges, practices and local actions",
        "Rechercher annonces de contribution, pratiques et actions locales",
        "Buscar compromisos, prácticas y acciones locales",
    ),
    "query_placeholder": (
        "e.g. one-stop centre for migrants",
        "p. ex. guichet unique pour les migrants",
        "p. ej. ventanilla única para migrantes",
    ),
    "search_button": ("Search", "Rechercher", "Buscar"),
    "mode": ("Mode", "Mode", "Modo"),
    "mode_hybrid": ("Hybrid", "Hybride", "Híbrida"),
    "mode_keyword": ("Keyword", "Mots-clés", "Palabras clave"),
    "mode_semantic": ("Semantic", "Sémantique", "Semántica"),
    "filters": ("Filters", "Filtres", "Filtros"),
    "clear_filters": ("Clear filters", "Effacer les filtres", "Borrar filtros"),
    "facet_collection": ("Collection", "Collection", "Colección"),
    "facet_objective": ("GCM objective", "Objectif du PMM", "Objetivo del PMM"),
    "facet_principle": ("Guiding principle", "Principe directeur", "Principio rector"),
    "facet_country": ("Country", "Pays", "País"),
    "choose_countries": ("Choose countries", "Choisir des pays", "Elegir países"),
    "facet_region": ("Region", "Région", "Región"),
    "facet_subregion": ("Sub-region", "Sous-région", "Subregión"),
    "facet_region_help": (
        "UN M49 regions (continents), and Global.",
        "Régions M49 de l'ONU (continents), et Mondial.",
        "Regiones M49 de la ONU (continentes) y Mundial.",
    ),
    "facet_subregion_help": (
        "UN M49 sub-regions, finer than the regions: e.g. Latin America and the Caribbean.",
        "Sous-régions M49 de l'ONU, plus fines que les régions : p. ex. Amérique latine et Caraïbes.",
        "Subregiones M49 de la ONU, más finas que las regiones: p. ej. América Latina y el Caribe.",
    ),
    "deadline_from": ("Deadline from", "Échéance à partir du", "Plazo desde"),
    "deadline_to": ("Deadline until", "Échéance jusqu'au", "Plazo hasta"),
    "deadline_help": (
        "Records without a deadline are left out once a date is set.",
        "Les enregistrements sans échéance sont exclus dès qu'une date est choisie.",
        "Los registros sin plazo quedan fuera en cuanto se fija una fecha.",
    ),
    "any_deadline": ("Any deadline", "Toute échéance", "Cualquier plazo"),
    "origin": ("Real or synthetic", "Réels ou synthétiques", "Reales o sintéticos"),
    "origin_all": ("All records", "Tous les enregistrements", "Todos los registros"),
    "origin_real": ("Only real records", "Uniquement les réels", "Solo los reales"),
    "origin_synthetic": (
        "Only synthetic test records",
        "Uniquement les synthétiques (tests)",
        "Solo los sintéticos (pruebas)",
    ),
    "origin_help": (
        "Synthetic records are invented for tests; they always carry the SYNTHETIC badge.",
        "Les enregistrements synthétiques sont inventés pour les tests ; ils portent toujours le badge SYNTHÉTIQUE.",
        "Los registros sintéticos se inventan para pruebas; siempre llevan la insignia SINTÉTICO.",
    ),
    "sort": ("Sort by", "Trier par", "Ordenar por"),
    "sort_relevance": ("Relevance", "Pertinence", "Relevancia"),
    "sort_newest": ("Newest first", "Plus récents d'abord", "Más recientes primero"),
    "sort_deadline": ("Deadline, soonest first", "Échéance, la plus proche d'abord", "Plazo, el más próximo primero"),
    "sort_title": ("Title, A to Z", "Titre, de A à Z", "Título, de la A a la Z"),
    "facet_entity_type": ("Entity type", "Type d'entité", "Tipo de entidad"),
    "facet_nature": ("Nature", "Nature", "Naturaleza"),
    "facet_language": ("Language of the text", "Langue du texte", "Idioma del texto"),
    "results": ("{total} results", "{total} résultats", "{total} resultados"),
    "strong_matches": ("{strong} strong matches", "{strong} correspondances fortes", "{strong} coincidencias fuertes"),
    "suggested_chip": ("{chip} (suggested)", "{chip} (suggéré)", "{chip} (sugerido)"),
    "suggested_count": ("{n} suggested", "{n} suggérés", "{n} sugeridos"),
    "objective_scope": ("GCM objectives", "Objectifs du PMM", "Objetivos del PMM"),
    "objective_scope_help": (
        "Declared: as the record states them. Suggested: read in the text by the tagger, with a confidence.",
        "Déclarés : tels que l'enregistrement les indique. Suggérés : lus dans le texte par l'étiqueteur.",
        "Declarados: tal como los indica el registro. Sugeridos: leídos en el texto por el etiquetador.",
    ),
    "scope_all": ("Declared and suggested", "Déclarés et suggérés", "Declarados y sugeridos"),
    "scope_declared": ("Declared only", "Déclarés seulement", "Solo declarados"),
    "scope_suggested": ("Suggested only", "Suggérés seulement", "Solo sugeridos"),
    "one_result": ("1 result", "1 résultat", "1 resultado"),
    "took": ("in {ms} ms", "en {ms} ms", "en {ms} ms"),
    "no_results": (
        "No record matches this search.",
        "Aucun enregistrement ne correspond à cette recherche.",
        "Ningún registro coincide con esta búsqueda.",
    ),
    "no_results_keyword": (
        "Keyword search only finds these exact words: semantic or hybrid search also finds records that say it "
        "differently.",
        "La recherche par mots-clés ne trouve que ces mots exacts : la recherche sémantique ou hybride trouve aussi "
        "les enregistrements qui le disent autrement.",
        "La búsqueda por palabras clave solo encuentra estas palabras exactas: la búsqueda semántica o híbrida "
        "también encuentra registros que lo dicen de otra forma.",
    ),
    "no_results_filters": (
        "Clear the filters to search every record.",
        "Effacez les filtres pour chercher dans tous les enregistrements.",
        "Borre los filtros para buscar en todos los registros.",
    ),
    "no_results_words": (
        "Try fewer or other words.",
        "Essayez moins de mots ou d'autres mots.",
        "Pruebe con menos palabras o con otras.",
    ),
    "try_semantic": ("Try semantic search", "Essayer la recherche sémantique", "Probar la búsqueda semántica"),
    "try_hybrid": ("Try hybrid search", "Essayer la recherche hybride", "Probar la búsqueda híbrida"),
    "past_last_page": (
        "This page is past the last page of results.",
        "Cette page est au-delà de la dernière page de résultats.",
        "Esta página está más allá de la última página de resultados.",
    ),
    "first_page": ("Go to the first page", "Aller à la première page", "Ir a la primera página"),
    "page_of": ("Page {page} of {pages}", "Page {page} sur {pages}", "Página {page} de {pages}"),
    "previous": ("Previous", "Précédent", "Anterior"),
    "next": ("Next", "Suivant", "Siguiente"),
    "export_csv": ("Export CSV", "Exporter en CSV", "Exportar CSV"),
    "export_help": (
        "Every matching record, not only this page.",
        "Tous les résultats, pas seulement cette page.",
        "Todos los resultados, no solo esta página.",
    ),
    "synthetic": ("SYNTHETIC", "SYNTHÉTIQUE", "SINTÉTICO"),
    "synthetic_help": (
        "An invented test record, not a real pledge.",
        "Un enregistrement de test inventé, pas une annonce de contribution réelle.",
        "Un registro de prueba inventado, no un compromiso real.",
    ),
    "open": ("Open", "Ouvrir", "Abrir"),
    "add_compare": ("Compare", "Comparer", "Comparar"),
    "entity": ("Entity", "Entité", "Entidad"),
    "entity_type": ("Entity type", "Type d'entité", "Tipo de entidad"),
    "countries": ("Countries", "Pays", "Países"),
    "regions": ("Regions", "Régions", "Regiones"),
    "city": ("City", "Ville", "Ciudad"),
    "objectives": ("GCM objectives", "Objectifs du PMM", "Objetivos del PMM"),
    "principles": ("Guiding principles", "Principes directeurs", "Principios rectores"),
    "nature": ("Nature", "Nature", "Naturaleza"),
    "deadline": ("Deadline", "Échéance", "Plazo"),
    "submitted": ("Submitted", "Soumis", "Presentado"),
    "text_language": ("Language of the text", "Langue du texte", "Idioma del texto"),
    "collection": ("Collection", "Collection", "Colección"),
    "pledge_type": ("Pledge type", "Type d'annonce de contribution", "Tipo de compromiso"),
    "source": ("Source", "Source", "Fuente"),
    "description": ("Description", "Description", "Descripción"),
    "metadata_only": (
        "Only the form's metadata was published; this text was written from it.",
        "Seules les métadonnées du formulaire ont été publiées ; ce texte en est tiré.",
        "Solo se publicaron los metadatos del formulario; este texto se redactó a partir de ellos.",
    ),
    "inferred": ("inferred", "déduit", "inferido"),
    "not_published": ("not published", "non publié", "no publicado"),
    "similar": ("Similar pledges", "Annonces de contribution similaires", "Compromisos similares"),
    "only_other_countries": ("Only other countries", "Uniquement d'autres pays", "Solo otros países"),
    "only_other_entities": ("Only other entities", "Uniquement d'autres entités", "Solo otras entidades"),
    "why_similar": ("Why similar:", "Pourquoi similaire :", "Por qué es similar:"),
    "no_similar": (
        "No similar records found.",
        "Aucun enregistrement similaire.",
        "No hay registros similares.",
    ),
    "no_pledge": (
        "No pledge is open: open one from the search results.",
        "Aucune annonce de contribution n'est ouverte : ouvrez-en une depuis les résultats de recherche.",
        "No hay ningún compromiso abierto: abra uno desde los resultados de búsqueda.",
    ),
    "go_search": ("Go to the search", "Aller à la recherche", "Ir a la búsqueda"),
    "pledge_id": (
        "Pledge id",
        "Identifiant de l'annonce de contribution",
        "Identificador del compromiso",
    ),
    "unknown_pledge": (
        "Pledge not found: no record has the id {id}. Check the link, or search for it.",
        "Annonce de contribution introuvable : aucun enregistrement n'a l'identifiant {id}. Vérifiez le lien ou "
        "cherchez-la.",
        "Compromiso no encontrado: ningún registro tiene el identificador {id}. Compruebe el enlace o búsquelo.",
    ),
    "back_to_search": ("Back to search", "Retour à la recherche", "Volver a la búsqueda"),
    "explore_intro": (
        "The whole corpus at a glance. Click a bar or a country to search within it.",
        "Tout le corpus d'un coup d'œil. Cliquez sur une barre ou un pays pour y chercher.",
        "Todo el corpus de un vistazo. Haga clic en una barra o un país para buscar en él.",
    ),
    "per_objective": (
        "Records per GCM objective",
        "Enregistrements par objectif du PMM",
        "Registros por objetivo del PMM",
    ),
    "per_entity_type": (
        "Records per entity type",
        "Enregistrements par type d'entité",
        "Registros por tipo de entidad",
    ),
    "per_region": ("Records per region", "Enregistrements par région", "Registros por región"),
    "world_map": ("Countries of implementation", "Pays de mise en œuvre", "Países de implementación"),
    "matrix": ("Objective × entity type", "Objectif × type d'entité", "Objetivo × tipo de entidad"),
    "count": ("Records", "Enregistrements", "Registros"),
    "chart_mark": ("{label}: {n} records", "{label} : {n} enregistrements", "{label}: {n} registros"),
    "chart_bar": ("bar", "barre", "barra"),
    "chart_country": ("country", "pays", "país"),
    "chart_cell": ("cell", "case", "celda"),
    "global_records": (
        "{n} records are global (no single country).",
        "{n} enregistrements sont mondiaux (sans pays unique).",
        "{n} registros son mundiales (sin país único).",
    ),
    "search_these": (
        "Search these records",
        "Chercher dans ces enregistrements",
        "Buscar en estos registros",
    ),
    "compare_intro": (
        "Pick two or three records to see them side by side.",
        "Choisissez deux ou trois enregistrements pour les voir côte à côte.",
        "Elija dos o tres registros para verlos uno al lado del otro.",
    ),
    "compare_find": (
        "Find records to compare",
        "Trouver des enregistrements à comparer",
        "Buscar registros para comparar",
    ),
    "compare_pick": (
        "Records to compare (2-3)",
        "Enregistrements à comparer (2-3)",
        "Registros a comparar (2-3)",
    ),
    "compare_need_two": (
        "Choose at least two records.",
        "Choisissez au moins deux enregistrements.",
        "Elija al menos dos registros.",
    ),
    # -- landing screen -----------------------------------------------------------------------------------------
    "intro": (
        "What states, cities and organisations do under the UN Global Compact for Migration (GCM): pledges "
        "(actions they announced), good practices (approaches documented as working) and local actions (what "
        "cities have done).",
        "Ce que font États, villes et organisations au titre du Pacte mondial des Nations Unies pour les "
        "migrations (PMM) : annonces de contribution (actions annoncées), bonnes pratiques (approches documentées "
        "qui ont fait leurs preuves) et actions locales (ce que des villes ont réalisé).",
        "Lo que hacen Estados, ciudades y organizaciones en el marco del Pacto Mundial de las Naciones Unidas "
        "para la Migración (PMM): compromisos (acciones anunciadas), buenas prácticas (enfoques documentados que "
        "funcionan) y acciones locales (lo que han hecho las ciudades).",
    ),
    "topics": ("Start with a topic", "Commencer par un thème", "Empezar por un tema"),
    "topics_help": (
        "Each topic searches cities' records for its words in English, French and Spanish.",
        "Chaque thème cherche ses mots en anglais, français et espagnol parmi les enregistrements des villes.",
        "Cada tema busca sus palabras en inglés, francés y español entre los registros de las ciudades.",
    ),
    "topic_one_stop": ("One-stop centres", "Guichets uniques", "Ventanillas únicas"),
    "topic_health": ("Health", "Santé", "Salud"),
    "topic_regularisation": ("Regularisation", "Régularisation", "Regularización"),
    "topic_jobs": ("Jobs", "Emploi", "Empleo"),
    "topic_children": ("Children", "Enfants", "Infancia"),
    "topic_housing": ("Housing", "Logement", "Vivienda"),
    "advanced": ("Advanced", "Options avancées", "Opciones avanzadas"),
    "mode_help": (
        "Hybrid finds your words and texts that mean the same; Keyword only your exact words; Semantic only the "
        "meaning.",
        "Hybride trouve vos mots et les textes qui disent la même chose ; Mots-clés seulement vos mots exacts ; "
        "Sémantique seulement le sens.",
        "Híbrida encuentra sus palabras y los textos que dicen lo mismo; Palabras clave solo sus palabras exactas; "
        "Semántica solo el sentido.",
    ),
    "active_filters": ("Active filters:", "Filtres actifs :", "Filtros activos:"),
    "filters_count": ("Filters ({n})", "Filtres ({n})", "Filtros ({n})"),
    "menu": ("Menu", "Menu", "Menú"),
    "query_cut": (
        "Your text had {n} characters: the search reads the first {limit} only, so it was cut there.",
        "Votre texte comptait {n} caractères : la recherche n'en lit que les {limit} premiers, il a été coupé là.",
        "Su texto tenía {n} caracteres: la búsqueda solo lee los {limit} primeros, así que se cortó ahí.",
    ),
    "deadline_count": (
        "{n} of the {total} records found have a deadline.",
        "{n} des {total} enregistrements trouvés ont une échéance.",
        "{n} de los {total} registros encontrados tienen plazo.",
    ),
    "deadline_count_one": (
        "1 of the {total} records found has a deadline.",
        "1 des {total} enregistrements trouvés a une échéance.",
        "1 de los {total} registros encontrados tiene plazo.",
    ),
    "any_year": ("Any year", "Toute année", "Cualquier año"),
    # -- compare ------------------------------------------------------------------------------------------------
    "compare_count": ("Compare ({n} of {limit})", "Comparer ({n} sur {limit})", "Comparar ({n} de {limit})"),
    "compare_limit": (
        "At most {limit} records can be compared side by side: untick one to choose another.",
        "On peut comparer au plus {limit} enregistrements côte à côte : décochez-en un pour en choisir un autre.",
        "Se pueden comparar como máximo {limit} registros uno al lado del otro: desmarque uno para elegir otro.",
    ),
    "compare_none": (
        "Find records with the box above, then tick two or three.",
        "Trouvez des enregistrements avec la case ci-dessus, puis cochez-en deux ou trois.",
        "Busque registros con la casilla de arriba y marque dos o tres.",
    ),
    # -- record facts -------------------------------------------------------------------------------------------
    "pledge_type_individual": ("Individual", "Individuelle", "Individual"),
    "pledge_type_joint": ("Joint", "Conjointe", "Conjunto"),
    "pledge_type_matching": ("Matching", "De contrepartie", "De contrapartida"),
    "submitted_on": ("submitted {date}", "soumis le {date}", "presentado el {date}"),
    "source_link": ("Published source", "Source publiée", "Fuente publicada"),
    "source_help": (
        "The original as published, to check this record against.",
        "L'original tel que publié, pour vérifier cet enregistrement.",
        "El original tal como se publicó, para contrastar este registro.",
    ),
    "other_entities_help": (
        "Leaves out records of the same entity, grouped by what the entity is rather than how its name is "
        "written: a city's mayor's office, its district and a network submitting in its name count as one.",
        "Écarte les enregistrements de la même entité, regroupés selon ce qu'est l'entité et non selon "
        "l'écriture de son nom : la mairie d'une ville, son district et un réseau qui soumet en son nom comptent "
        "pour une seule.",
        "Excluye los registros de la misma entidad, agrupados según lo que es la entidad y no según cómo se "
        "escribe su nombre: la alcaldía de una ciudad, su distrito y una red que presenta en su nombre cuentan "
        "como una sola.",
    ),
    "other_countries_help": (
        "Leaves out records implemented in any country of this record.",
        "Écarte les enregistrements mis en œuvre dans l'un des pays de cet enregistrement.",
        "Excluye los registros implementados en alguno de los países de este registro.",
    ),
    "same_initiative": (
        "Same initiative, other source",
        "Même initiative, autre source",
        "Misma iniciativa, otra fuente",
    ),
    "same_initiative_help": (
        "These records describe this same initiative from another source (e.g. the local action that reports a "
        "pledge): they are not peers.",
        "Ces enregistrements décrivent cette même initiative dans une autre source (p. ex. l'action locale qui "
        "rend compte d'une annonce de contribution) : ce ne sont pas des pairs.",
        "Estos registros describen esta misma iniciativa desde otra fuente (p. ej. la acción local que informa "
        "de un compromiso): no son pares.",
    ),
    "same_entity": ("Same entity", "Même entité", "Misma entidad"),
    # -- CSV export ---------------------------------------------------------------------------------------------
    "csv_file": ("gcm-search.csv", "pmm-recherche.csv", "pmm-busqueda.csv"),
    "csv_id": ("Identifier", "Identifiant", "Identificador"),
    "csv_title": ("Title", "Titre", "Título"),
    "csv_synthetic": ("Synthetic test record", "Enregistrement de test synthétique", "Registro de prueba sintético"),
    "yes": ("yes", "oui", "sí"),
    "no": ("no", "non", "no"),
    "api_down": (
        "The search service cannot be reached ({url}). Please try again in a moment.",
        "Le service de recherche est injoignable ({url}). Réessayez dans un instant.",
        "No se puede contactar el servicio de búsqueda ({url}). Inténtelo de nuevo en un momento.",
    ),
    "api_error": (
        "The search service refused the request: {message}",
        "Le service de recherche a refusé la demande : {message}",
        "El servicio de búsqueda rechazó la solicitud: {message}",
    ),
    "retry": ("Try again", "Réessayer", "Reintentar"),
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The label `key` in `lang` (English when missing), with `{names}` filled in."""
    labels = _T.get(key)
    if labels is None:
        return key
    text = labels[LANGUAGE_CODES.index(lang)] if lang in LANGUAGE_CODES else labels[0]
    return text.format(**values) if values else text


def keys() -> list[str]:
    """Every label key (a test checks each has three non-empty translations)."""
    return list(_T)


# Words that Streamlit's own widgets print in English (hints, placeholders, screen-reader labels), said in
# French and Spanish by ui/assets/browser.js. Exact texts first, then patterns (a regular expression over the
# whole text, and its replacement), which are applied to attributes only, so record text is never rewritten.
WIDGET_TEXTS: dict[str, tuple[str, str]] = {
    # English: (French, Spanish)
    "Skip to main content": ("Aller au contenu principal", "Ir al contenido principal"),
    "Collapse sidebar": ("Fermer le menu", "Cerrar el menú"),
    "Expand sidebar": ("Menu", "Menú"),
    "Sidebar": ("Menu latéral", "Menú lateral"),
    "App pages": ("Pages", "Páginas"),
    "Main menu": ("Menu principal", "Menú principal"),
    "Open": ("Ouvrir la liste", "Abrir la lista"),
    "Close": ("Fermer", "Cerrar"),
    "Dismiss": ("Fermer", "Cerrar"),
    "Link to heading": ("Lien vers ce titre", "Enlace a este título"),
    "Next page": ("Page suivante", "Página siguiente"),
    "Previous page": ("Page précédente", "Página anterior"),
    "Pagination": ("Pages de résultats", "Páginas de resultados"),
    "Press Enter to submit form": ("Appuyez sur Entrée pour chercher", "Pulse Intro para buscar"),
    "Press Enter to apply": ("Appuyez sur Entrée pour appliquer", "Pulse Intro para aplicar"),
    "No results": ("Aucun résultat", "Sin resultados"),
    "Clear all": ("Tout effacer", "Borrar todo"),
    "Clear value": ("Effacer", "Borrar"),
    "Selected values": ("Valeurs choisies", "Valores elegidos"),
    "Multiselect options": ("Options de la liste", "Opciones de la lista"),
    "Selectbox options": ("Options de la liste", "Opciones de la lista"),
    "Choose an option": ("Choisir une option", "Elija una opción"),
    "Choose options": ("Choisir des options", "Elija opciones"),
    "Select all": ("Tout sélectionner", "Seleccionar todo"),
    "Running...": ("Recherche en cours…", "Búsqueda en curso…"),
    "Stop script": ("Arrêter", "Detener"),
    "Download as PNG": ("Télécharger en PNG", "Descargar como PNG"),
    "Download as SVG": ("Télécharger en SVG", "Descargar como SVG"),
    "Fullscreen": ("Plein écran", "Pantalla completa"),
    "Close fullscreen": ("Quitter le plein écran", "Salir de la pantalla completa"),
    "Vega visualization": ("Graphique", "Gráfico"),
    "visualization": ("graphique", "gráfico"),
    "title": ("titre", "título"),
}
WIDGET_PATTERNS: list[tuple[str, tuple[str, str]]] = [
    (r"^Page (\d+)$", ("Page $1", "Página $1")),
    (r"^Help for (.+)$", ("Aide : $1", "Ayuda: $1")),
    (r"^Remove (.+)$", ("Retirer $1", "Quitar $1")),
    (r"^(\d+) options? available\.$", ("$1 options disponibles.", "$1 opciones disponibles.")),
    (r"^Title text '(.*)'$", ("Titre : $1", "Título: $1")),
    (r"^\w+ mark container$", ("éléments du graphique", "elementos del gráfico")),
]
# The patterns also applied to text (a live region that screen readers read out), not only to attributes.
WIDGET_TEXT_PATTERNS = (r"^(\d+) options? available\.$",)
_ENGLISH_OVERRIDES = {"Expand sidebar": "Menu"}  # the phone's drawer toggle is labelled "Menu", in English too


def widget_texts(lang: str) -> dict[str, object]:
    """For the browser script: `exact`, every known wording of a widget text (English, French, Spanish) ->
    its wording in `lang`; `patterns` and `text_patterns`, (JavaScript regular expression, replacement) pairs
    for `lang` (none in English)."""
    column = LANGUAGE_CODES.index(lang) if lang in LANGUAGE_CODES else 0
    exact: dict[str, str] = {}
    for english, (french, spanish) in WIDGET_TEXTS.items():
        wordings = (_ENGLISH_OVERRIDES.get(english, english), french, spanish)
        for wording in (english, *wordings):
            if wording != wordings[column]:
                exact.setdefault(wording, wordings[column])
    patterns = [(source, pair[column - 1]) for source, pair in WIDGET_PATTERNS] if column else []
    return {
        "exact": exact,
        "patterns": patterns,
        "text_patterns": [p for p in patterns if p[0] in WIDGET_TEXT_PATTERNS],
    }
