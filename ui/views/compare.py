"""Compare page (`?id=a&id=b&id=c`): two or three records side by side, fact by fact; one below the other on a
phone, where three columns would break words mid-word.

The records are picked with one checkbox each (those chosen, then those a query finds): once three are ticked,
the others are disabled and the page says why, instead of dropping one the user chose.
"""

from __future__ import annotations

import streamlit as st

from models.schemas import PledgeView
from ui import context, fragments
from ui.api_client import ApiError
from ui.i18n import t
from ui.views.pledge import facts_rows

MAX = 3


def _set_ids(ids: list[str], lang: str) -> None:
    st.session_state["compare"] = ids[:MAX]
    st.query_params.from_dict({"id": ids[:MAX], **context.lang_params(lang)})


def _tick(ids: list[str], pledge_id: str, key: str, lang: str) -> None:
    chosen = [i for i in ids if i != pledge_id]
    if st.session_state.get(key):
        chosen.append(pledge_id)
    _set_ids(chosen, lang)


def _candidates(ids: list[str], q: str, lang: str) -> dict[str, str]:
    """id -> title for the picker: what is already chosen, then the hits of the finder's query."""
    options: dict[str, str] = {}
    for pledge_id in ids:
        try:
            options[pledge_id] = context.client().pledge(pledge_id, lang).title
        except ApiError:
            options[pledge_id] = pledge_id
    if q:
        for hit in context.client().search(q, "hybrid", None, 1, 15, lang).hits:
            options.setdefault(hit.id, hit.title)
    return options


def _picker(ids: list[str], options: dict[str, str], lang: str) -> None:
    """One checkbox per candidate; past the limit the unticked ones are disabled and the limit is said."""
    st.markdown(f"**{t('compare_pick', lang)}**")
    full = len(ids) >= MAX
    if full:
        st.caption(t("compare_limit", lang, limit=MAX))
    if not options:
        st.caption(t("compare_none", lang))
    signature = "_".join(ids)
    with st.container(key="compare_picker"):
        for number, (pledge_id, title) in enumerate(options.items()):
            key = f"pick_{number}_{pledge_id}_{signature}"
            st.checkbox(
                fragments.md_text(title),
                value=pledge_id in ids,
                key=key,
                disabled=full and pledge_id not in ids,
                on_change=_tick,
                args=(ids, pledge_id, key, lang),
            )


def render() -> None:
    """The Compare page."""
    lang = context.lang()
    st.title(t("page_compare", lang), anchor=False)
    st.caption(t("compare_intro", lang))
    ids = list(dict.fromkeys(st.query_params.get_all("id") or st.session_state.get("compare", [])))[:MAX]
    with context.api_guard(lang):
        labels = context.labels(lang)
        q = st.text_input(t("compare_find", lang), placeholder=t("query_placeholder", lang), key="compare_q")
        _picker(ids, _candidates(ids, q.strip(), lang), lang)
        records: list[PledgeView] = []
        for pledge_id in ids:
            try:
                records.append(context.client().pledge(pledge_id, lang))
            except ApiError as exc:
                if exc.status != 404:
                    raise
                st.warning(t("unknown_pledge", lang, id=fragments.md_text(pledge_id)))
    if len(records) < 2:
        st.info(t("compare_need_two", lang), icon=":material/compare:")
        if not records:
            return
    headers = []
    for p in records:
        badge = fragments.synthetic_badge(t("synthetic", lang), t("synthetic_help", lang)) if p.synthetic else ""
        headers.append(f"{badge}{fragments.esc(p.title)}")
    per_record = [dict(facts_rows(p, labels, lang, complete=True)) for p in records]
    row_labels = list(dict.fromkeys(label for rows in per_record for label in rows))
    rows = [(label, [r.get(label, "") for r in per_record]) for label in row_labels]
    rows.append(
        (
            t("description", lang),
            [f'<div class="gcm-longtext">{fragments.esc(p.description)}</div>' for p in records],
        )
    )
    st.html(fragments.compare_table(headers, rows) + fragments.compare_stack(headers, rows))
    # Line the links up under the table's columns (its first column, the row labels, is 10rem of ~60rem).
    cols = st.columns([0.17] + [0.83 / len(records)] * len(records))[1:]
    for col, p in zip(cols, records, strict=True):
        col.page_link(
            context.page("pledge"),
            label=f"{t('open', lang)}: {fragments.md_text(p.title)}",
            icon=":material/open_in_new:",
            query_params={"id": p.id, **context.lang_params(lang)},
        )
