"""Pledge page (`?id=`): every fact of one record, its full text, and similar records with the reasons why.

The neighbours' options live in the URL too (`other_countries=true`, `other_entities=true`), and so does the
search the record was opened from (the search page's own parameters), which "Back to search" and every link to a
neighbour carry on. An id the API does not know is a "not found" message, not an error; no id at all (an old
bookmark: the page is not in the menu) says where records are opened from.
"""

from __future__ import annotations

import streamlit as st

from models.schemas import PledgeView, SimilarHit
from models.taxonomy import LANGUAGE_NAMES
from ui import context, fragments
from ui.api_client import ApiError
from ui.context import Labels
from ui.i18n import keys, t
from ui.state import from_params, has_search, to_params


def _flag(text: str, inferred: bool, lang: str) -> str:
    return fragments.esc(text) + (f' <span class="gcm-muted">({t("inferred", lang)})</span>' if inferred else "")


def _list(values: list[str], lang: str) -> str:
    if not values:
        return f'<span class="gcm-muted">{t("not_published", lang)}</span>'
    return fragments.esc(", ".join(values))


def facts_rows(p: PledgeView, labels: Labels, lang: str, complete: bool = False) -> list[tuple[str, str]]:
    """Label -> safe HTML value for every fact of a record (shared with the Compare page, which asks for
    `complete` rows, so records without a city or a source still line up with those that have one)."""
    entity_type = labels.entity_types.get(p.entity_type or "", p.entity_type or "")
    rows = [
        (t("collection", lang), fragments.esc(labels.collections.get(p.collection, p.collection))),
        (t("entity", lang), _list([p.entity_name] if p.entity_name else [], lang)),
        (
            t("entity_type", lang),
            _flag(entity_type, p.entity_type_inferred, lang) if entity_type else _list([], lang),
        ),
        (
            t("countries", lang),
            _flag(", ".join(p.country_names), p.countries_inferred, lang) if p.countries else _list([], lang),
        ),
        (t("regions", lang), _list([labels.regions.get(r, r) for r in p.regions + p.subregions], lang)),
    ]
    if p.city or complete:
        rows.append((t("city", lang), fragments.esc(p.city) if p.city else _list([], lang)))
    rows += [
        (
            t("objectives", lang),
            fragments.chips([labels.objective_chip(o) for o in p.objectives]) or _list([], lang),
        ),
        (t("principles", lang), _list([labels.principles.get(x, x) for x in p.principles], lang)),
        (t("nature", lang), _list([labels.natures.get(x, x) for x in p.nature], lang)),
        (t("deadline", lang), _list([p.deadline.isoformat()] if p.deadline else [], lang)),
        (t("submitted", lang), _list([p.submitted.isoformat()] if p.submitted else [], lang)),
        (t("text_language", lang), fragments.esc(_language(p.language, lang))),
    ]
    if p.pledge_type or complete:
        kind = f"pledge_type_{p.pledge_type}"
        shown = t(kind, lang) if kind in keys() else p.pledge_type
        rows.append((t("pledge_type", lang), fragments.esc(shown) if shown else _list([], lang)))
    if p.source_url and p.source_url.startswith(("http://", "https://")):
        url = fragments.esc(p.source_url)
        rows.append((t("source", lang), f'<a href="{url}" target="_blank" rel="noopener noreferrer">{url}</a>'))
    elif complete:
        rows.append((t("source", lang), _list([], lang)))
    return rows


def _similar_card(rank: int, hit: SimilarHit, labels: Labels, lang: str, link: dict[str, str | list[str]]) -> None:
    with st.container(border=True, key=f"similar_{rank}"):
        st.page_link(
            context.page("pledge"), label=f"**{fragments.md_text(hit.title)}**", query_params={"id": hit.id, **link}
        )
        badges = ""
        if hit.same_initiative:
            badges += fragments.mark(t("same_initiative", lang), "gcm-mark-initiative")
        elif hit.same_entity:
            badges += fragments.mark(t("same_entity", lang), "gcm-mark-entity")
        if hit.synthetic:
            badges += fragments.synthetic_badge(t("synthetic", lang), t("synthetic_help", lang))
        entity_type = hit.entity_type_label or labels.entity_types.get(hit.entity_type or "", hit.entity_type)
        meta = [hit.entity_name, entity_type, ", ".join(hit.country_names) or None]
        reasons = fragments.reasons(t("why_similar", lang), hit.reasons)
        st.html(badges + fragments.meta_line(meta) + reasons)


def _carried(lang: str) -> dict[str, str | list[str]]:
    """The search this record was opened from: carried in the URL (and remembered, so the menu's "Search"
    brings it back too, also when the record was opened from a shared link), else the session's last one."""
    params = context.params()
    if has_search(params):
        search = from_params(params)
        context.remember_search(to_params(search))
        return to_params(search, lang)
    return {**context.last_search(), **context.lang_params(lang)}


def _language(code: str, lang: str) -> str:
    names = LANGUAGE_NAMES.get(code)
    return (names.get(lang) or names["en"]) if names else code


def render() -> None:
    """The Pledge page."""
    lang = context.lang()
    search = _carried(lang)
    pledge_id = st.query_params.get("id")
    st.page_link(
        context.page("search"),
        label=t("back_to_search", lang),
        icon=":material/arrow_back:",
        query_params=search,
    )
    if not pledge_id:  # the page is not in the menu; an old bookmark may still lead here
        st.info(t("no_pledge", lang), icon=":material/info:")
        return
    with context.api_guard(lang):
        labels = context.labels(lang)
        try:
            p = context.client().pledge(pledge_id, lang)
        except ApiError as exc:
            if exc.status != 404:
                raise
            st.warning(t("unknown_pledge", lang, id=fragments.md_text(pledge_id)), icon=":material/search_off:")
            _pick_another(pledge_id, lang)
            return
    st.set_page_config(page_title=p.title)
    st.title(fragments.md_text(p.title), anchor=False)
    badges = fragments.synthetic_badge(t("synthetic", lang), t("synthetic_help", lang)) if p.synthetic else ""
    source = fragments.source_line(
        p.source_url,
        t("source_link", lang),
        t("submitted_on", lang, date=p.submitted.isoformat()) if p.submitted else None,
    )
    if badges or source:
        st.html(badges + source)
    facts, text = st.columns([1, 1.3], gap="large")
    with facts:
        st.html(fragments.facts_table(facts_rows(p, labels, lang)))
    with text:
        st.subheader(t("description", lang), anchor=False)
        if p.description_from == "metadata":
            st.caption(t("metadata_only", lang))
        st.html(fragments.paragraphs(p.description))
    st.divider()
    _similar(pledge_id, labels, lang, search)


def _similar(pledge_id: str, labels: Labels, lang: str, search: dict[str, str | list[str]]) -> None:
    """Neighbours with the reasons they are, peers first; records of the same initiative from another source are
    set apart and marked, never offered as peers."""
    st.subheader(t("similar", lang), anchor=False)
    left, right = st.columns(2)
    with left:
        other_countries = _option_toggle("other_countries", "only_other_countries", pledge_id, lang)
        st.caption(t("other_countries_help", lang))
    with right:
        other_entities = _option_toggle("other_entities", "only_other_entities", pledge_id, lang)
        st.caption(t("other_entities_help", lang))
    with context.api_guard(lang):
        similar = context.client().similar(
            pledge_id, k=8, other_countries=other_countries, other_entities=other_entities, lang=lang
        )
    options = {
        name: "true" for name, on in (("other_countries", other_countries), ("other_entities", other_entities)) if on
    }
    link = {**search, **options}
    peers = [hit for hit in similar.data if not hit.same_initiative]
    same = [hit for hit in similar.data if hit.same_initiative]
    if not similar.data:
        st.info(t("no_similar", lang))
    for rank, hit in enumerate(peers):
        _similar_card(rank, hit, labels, lang, link)
    if same:
        with st.container(key="same_initiative"):
            st.html(
                fragments.mark(t("same_initiative", lang), "gcm-mark-initiative")
                + f'<span class="gcm-meta">{fragments.esc(t("same_initiative_help", lang))}</span>'
            )
            for rank, hit in enumerate(same, start=len(peers)):
                _similar_card(rank, hit, labels, lang, link)


def _option_toggle(param: str, label: str, pledge_id: str, lang: str) -> bool:
    """A toggle mirrored in the URL as `param=true` (absent when off), so the neighbours' view is shareable."""
    in_url = st.query_params.get(param) == "true"
    on = st.toggle(t(label, lang), value=in_url, key=f"{param}_{pledge_id}")
    if on != in_url:
        if on:
            st.query_params[param] = "true"
        else:
            st.query_params.pop(param, None)
    return on


def _pick_another(unknown: str, lang: str) -> None:
    """After a 'not found': a box to type another id (a mistyped link is the usual cause)."""
    typed = st.text_input(t("pledge_id", lang), placeholder="sub-2291", key="other_id").strip()
    if typed and typed != unknown:
        st.query_params["id"] = typed
        st.rerun()
