"""HTML for the chat app: source cards under an answer, the abstention notice with the
closest passages, and the document viewer with the cited passage marked. Document text is
always escaped: it is data, never markup."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from assistant.catalog import Document
from assistant.texts import ABSTAIN_SV
from kbcore.access import AccessLevel

CSS = """
.kallkort {border: 1px solid #c9d3dd; border-radius: 8px; padding: 8px 12px; margin: 6px 0;
  background: #fafcfe;}
.kallkort .kallrubrik {font-weight: 600;}
.kallkort .kallplats {color: #51606f; font-size: 0.9em;}
.kallkort blockquote {margin: 6px 0 0 0; padding-left: 10px; border-left: 3px solid #9bb3c9;
  white-space: pre-wrap;}
mark {background: #ffe58a; padding: 0 1px;}
.skrivare { background: #eef4fb; border-left: 4px solid #4a7ab5; padding: 6px 10px; margin: 6px 0; }
.skrivare {border-left: 4px solid #4a7ab5; background: #eef4fb; padding: 6px 10px; margin: 6px 0;}
.avstar {border: 1px solid #e0b84c; background: #fff8e5; border-radius: 8px; padding: 8px 12px;}
.dokumentvy {max-height: 520px; overflow-y: auto; border: 1px solid #c9d3dd; border-radius: 8px;
  padding: 8px 14px;}
.dokumentvy section {white-space: pre-wrap; margin: 8px 0;}
.dokumentvy section.citerad {background: #eef5ff; border-left: 4px solid #3b7dd8; padding-left: 8px;}
.banner {border-radius: 8px; padding: 6px 12px; background: #eef5ff;}
"""


def _marked(text: str, quoted: list[str]) -> str:
    """The passage escaped, with each quoted sentence in <mark> (line breaks in the source
    may fall anywhere inside a quoted sentence)."""
    spans: list[tuple[int, int]] = []
    for sentence in quoted:
        words = [re.escape(word) for word in sentence.split()]
        match = re.search(r"\s+".join(words), text) if words else None
        if match:
            spans.append(match.span())
    html, position = [], 0
    for start, end in sorted(spans):
        if start < position:
            continue
        html += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    html.append(escape(text[position:]))
    return "".join(html)


def _place(citation: dict[str, Any]) -> str:
    parts = [
        citation["heading"],
        f"s. {citation['page']}" if citation.get("page") else "",
        citation["doc_id"],
    ]
    return " · ".join(escape(str(p)) for p in parts if p)


def source_cards(answer: dict[str, Any], number: int) -> str:
    """One card per citation under a line naming the answer (the ``number``-th of the
    conversation); when the assistant declined, a notice and the closest passages."""
    question = escape(answer["question"])
    head = f'<p class="kallhuvud" data-svar="{number}">Källor till svar {number}: ”{question}”</p>'
    return head + _writer_notice(answer) + _cards(answer)


def _writer_notice(answer: dict[str, Any]) -> str:
    """Who wrote the answer, and how many sentences were removed or why the quoted answer
    stands in. What was removed is not shown, not even in a reason ("namnet Anna ..."):
    it is what the sources do not say. (`removed` in the JSON has it, for review.)"""
    if "generation" not in answer:
        return ""
    writer = (
        "Svaret är formulerat av en språkmodell; varje mening är kontrollerad mot källan den hänvisar till."
        if answer["writer"] == "generative"
        else ""
    )
    text = " ".join(part for part in (writer, answer.get("notice", "")) if part)
    return f'<div class="skrivare">{escape(text)}</div>'


def _cards(answer: dict[str, Any]) -> str:
    if answer["abstained"]:
        notice = (
            f'<div class="avstar"><b>{ABSTAIN_SV}</b> Assistenten svarar bara med '
            "det som står i källorna.</div>"
        )
        cards = [_card(c, "Materialet säger") for c in answer["citations"]]
        nearby = [
            {
                "n": i,
                "title": r["title"],
                "heading": r["heading"],
                "doc_id": r["doc_id"],
                "text": r["text"][:400],
            }
            for i, r in enumerate(answer["retrieved"][:3], start=1)
        ]
        if nearby:
            cards.append("<p><b>Kanske relevant:</b></p>")
            cards += [_card(item, "Kanske relevant") for item in nearby]
        return notice + "".join(cards)
    return "".join(_card(c) for c in answer["citations"])


def _card(citation: dict[str, Any], label: str = "") -> str:
    quoted = list(citation.get("quoted", ()))
    prefix = f"{escape(label)} " if label else ""
    return (
        f'<div class="kallkort" id="kalla-{citation["n"]}">'
        f'<div class="kallrubrik">{prefix}[{citation["n"]}] {escape(citation["title"])}</div>'
        f'<div class="kallplats">{_place(citation)}</div>'
        f"<blockquote>{_marked(citation['text'], quoted)}</blockquote></div>"
    )


def document_view(document: Document, cited_text: str = "", quoted: list[str] | None = None) -> str:
    """The whole document, passage by passage; the cited passage is marked and has the id
    the app scrolls to."""
    sections = []
    for chunk in document.chunks:
        heading = str(chunk.metadata.get("heading", ""))
        cited = bool(cited_text) and chunk.text == cited_text
        body = _marked(chunk.text, quoted or []) if cited else escape(chunk.text)
        attributes = ' class="citerad" id="citerat-stycke"' if cited else ""
        title = f"<h4>{escape(heading)}</h4>" if heading else ""
        sections.append(f"<section{attributes}>{title}{body}</section>")
    head = (
        f"<h3>{escape(document.title)}</h3><p class='kallplats'>{escape(document.doc_id)} · "
        f"{escape(document.doc_type)} · åtkomst: {escape(_label(document.access))}</p>"
    )
    return f'<div class="dokumentvy">{head}{"".join(sections)}</div>'


def _label(access: str) -> str:
    """The access level as users read it; an unknown word as it is."""
    return {level.value: level.label for level in AccessLevel}.get(access, access)
