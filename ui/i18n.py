"""The UI's own words in English, French and Spanish; taxonomy labels come from the API (/taxonomy?lang=)."""

from __future__ import annotations

from models.taxonomy import LANGUAGES as LANGUAGE_CODES

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español"}

_T: dict[str, tuple[str, str, str]] = {
    # key: (en, fr, es)
    "app_title": (
        "GCM pledges and practices",
        "Engagements et pratiques du PMM",
        "Compromisos y prácticas del PMM",
    ),
    "language": ("Language", "Langue", "Idioma"),
    "page_search": ("Search", "Recherche", "Búsqueda"),
    "page_pledge": ("Pledge", "Engagement", "Compromiso"),
    "page_explore": ("Explore", "Explorer", "Explorar"),
    "page_compare": ("Compare", "Comparer", "Comparar"),
    "query": (
        "Search pledges, practices and local actions",
        "Rechercher engagements, pratiques et actions locales",
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
        "Un enregistrement de test inventé, pas un engagement réel.",
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
    "pledge_type": ("Pledge type", "Type d'engagement", "Tipo de compromiso"),
    "source": ("Source", "Source", "Fuente"),
    "description": ("Description", "Description", "Descripción"),
    "metadata_only": (
        "Only the form's metadata was published; this text was written from it.",
        "Seules les métadonnées du formulaire ont été publiées ; ce texte en est tiré.",
        "Solo se publicaron los metadatos del formulario; este texto se redactó a partir de ellos.",
    ),
    "inferred": ("inferred", "déduit", "inferido"),
    "not_published": ("not published", "non publié", "no publicado"),
    "similar": ("Similar pledges", "Engagements similaires", "Compromisos similares"),
    "only_other_countries": ("Only other countries", "Uniquement d'autres pays", "Solo otros países"),
    "only_other_entities": ("Only other entities", "Uniquement d'autres entités", "Solo otras entidades"),
    "why_similar": ("Why similar:", "Pourquoi similaire :", "Por qué es similar:"),
    "no_similar": (
        "No similar records found.",
        "Aucun enregistrement similaire.",
        "No hay registros similares.",
    ),
    "no_pledge": (
        "Open a pledge from the search results, or give its id.",
        "Ouvrez un engagement depuis les résultats, ou donnez son identifiant.",
        "Abra un compromiso desde los resultados o indique su identificador.",
    ),
    "pledge_id": ("Pledge id", "Identifiant", "Identificador"),
    "unknown_pledge": (
        "Pledge not found: no record has the id {id}. Check the link, or search for it.",
        "Engagement introuvable : aucun enregistrement n'a l'identifiant {id}. Vérifiez le lien ou cherchez-le.",
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
