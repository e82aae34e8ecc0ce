"""HTML built for cards: only the engine's <mark> survives; everything else is text."""

from __future__ import annotations

from ui.fragments import card_body, chips, compare_table, facts_table, safe_snippet, synthetic_badge


def test_marks_are_kept_and_entities_stay_single_escaped() -> None:
    snippet = "Barranquilla&#x27;s <mark>one-stop</mark> centre &amp; services"
    assert safe_snippet(snippet) == "Barranquilla's <mark>one-stop</mark> centre &amp; services"


def test_anything_but_mark_is_shown_as_text() -> None:
    out = safe_snippet('<script>alert(1)</script><mark onclick="x">a</mark><b>b</b>')
    assert "<script" not in out and "<b>" not in out and "<mark onclick" not in out
    assert "&lt;script&gt;" in out and "&lt;mark onclick" in out


def test_unbalanced_marks_are_closed_and_stray_closers_dropped() -> None:
    assert safe_snippet("</mark>a <mark>b") == "a <mark>b</mark>"
    assert safe_snippet("<MARK>a<mark>b</mark>") == "<mark>ab</mark>"


def test_card_and_tables_escape_record_text() -> None:
    body = card_body(
        ["<i>Entity</i>", None, "Colombia"],
        ["15 · Basic services"],
        "x <mark>y</mark>",
        synthetic_badge("SYNTHETIC", "invented"),
    )
    assert "&lt;i&gt;Entity&lt;/i&gt; · Colombia" in body
    assert "<mark>y</mark>" in body and "SYNTHETIC" in body
    assert chips(["a<b"]) == '<span class="gcm-chip">a&lt;b</span>'
    assert "<th>x&lt;y</th>" in facts_table([("x<y", "v")])
    assert '<th class="gcm-row">r&lt;1</th>' in compare_table(["A", "B"], [("r<1", ["1", "2"])])
