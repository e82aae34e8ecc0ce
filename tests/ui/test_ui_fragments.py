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


def test_md_text_makes_record_text_plain_text_in_markdown() -> None:
    """Rendered by a CommonMark renderer, an escaped hostile title is one paragraph of its own characters:
    no image, link, autolink, raw HTML, emphasis or heading."""
    import html
    import re

    from markdown_it import MarkdownIt

    from ui.fragments import WORD_JOINER, md_text

    hostile = [
        "![pixel](http://tracker.invalid/p.png) title",
        "[Official](http://tracker.invalid/x) <a href='http://tracker.invalid'>raw</a> <http://tracker.invalid/a>",
        "**bold** _em_ `code` ~~strike~~ $x^2$ :red[c] :smile: :material/home: &amp; &#60;b&#62;",
        "# heading\n- list\n    code block\n> quote | table |",
        "back\\slash \\*still\\* literal",
    ]
    renderer = MarkdownIt("commonmark")
    for text in hostile:
        out = renderer.render(md_text(text)).strip()
        assert out.startswith("<p>") and out.endswith("</p>") and out.count("<") == 2, out
        shown = html.unescape(out[3:-4]).replace(WORD_JOINER, "")
        assert shown == " ".join(text.split())
    linked = md_text("see https://tracker.invalid, www.tracker.invalid or x@tracker.invalid")
    assert not re.search(r"https?:/|www\.|@\w", linked.replace("\\", ""))  # GFM autolinks cannot match
