"""HTML for the chat app: an answer's chat bubble with its own source cards (or, when the
assistant declined, why and the nearest passages), and the document viewer with the cited
passage marked. Document text is always escaped: it is data, never markup."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from app.web.conversations import shorten
from assistant.catalog import Document
from assistant.record_fields import record_card
from kbcore.access import AccessLevel


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


def answer_bubble(answer: dict[str, Any], number: int, next_step: str = "") -> str:
    """The chat bubble of the conversation's ``number``-th answer as one block of HTML with
    no blank lines (so the chat's Markdown leaves it alone): the answer with each [n] a link
    to this answer's own card n, then the cards. A declined answer says why (the material's
    own "anges inte" sentence when it has one), the ``next_step`` (e.g. the contact route the
    actor register names) and the nearest passages."""
    parts = [f'<div class="svar svar-{number}">']
    parts.append(_answer_text(answer["answer"], number))
    if answer["abstained"]:
        parts.append(f'<p class="avstar">{_decline_reason(answer, number)}</p>')
        if next_step:
            parts.append(f'<p class="nasta-steg"><b>Nästa steg:</b> {escape(next_step)}</p>')
    parts.append(_writer_notice(answer))
    parts.append(_sources(answer, number))
    return "".join(parts) + "</div>"


def _answer_text(text: str, number: int) -> str:
    """The answer's text as HTML: its paragraphs, list items ("- ") as a list, and a quoted
    table (header row, rule, rows) as a table; every [n] linked to its card."""
    html = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if len(lines) >= 2 and lines[0].startswith("|") and re.fullmatch(r"[|\-: ]+", lines[1]):
            head = "".join(f"<th>{escape(cell)}</th>" for cell in _cells(lines[0]))
            rows = "".join(
                "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in _cells(line)) + "</tr>"
                for line in lines[2:]
            )
            table = f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
            html.append(f'<table class="svarstabell">{table}</table>')
            continue
        items: list[str] = []
        for line in lines + [""]:  # the sentinel closes a list that ends the block
            if line.startswith("- "):
                items.append(f"<li>{_linked(escape(line[2:]), number)}</li>")
                continue
            if items:
                html.append(f"<ul>{''.join(items)}</ul>")
                items = []
            if line:
                html.append(f'<p class="svartext">{_linked(escape(line), number)}</p>')
    return "".join(html)


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _linked(text: str, number: int) -> str:
    """Each "[n]" of ``text`` (already escaped) as a link to card n of answer ``number``."""
    return re.sub(
        r"\[(\d+)\]",
        lambda m: (
            f'<a class="kallref ref-{number}-{m[1]}" href="#kalla-{number}-{m[1]}"'
            f' title="Visa källa {m[1]}">[{m[1]}]</a>'
        ),
        text,
    )


def _decline_reason(answer: dict[str, Any], number: int) -> str:
    if answer["citations"]:
        citation = answer["citations"][0]
        said = " ".join(citation["quoted"]) or citation["text"][:200]
        return _linked(f"Materialet säger själv: ”{escape(said)}” [{citation['n']}]", number)
    if answer["retrieved"]:
        return (
            "Inget av de dokument du har tillgång till besvarar frågan. "
            "De närmaste styckena finns nedan: öppna dem för att se vad materialet säger."
        )
    return "Inget av de dokument du har tillgång till handlar om det du frågar."


def _sources(answer: dict[str, Any], number: int) -> str:
    """This answer's cards, open under the answer; a declined answer adds the nearest passages."""
    cards = [_card(c, number) for c in answer["citations"]]
    if answer["abstained"]:
        first = len(answer["citations"]) + 1
        cards += [
            _card({"n": n, "page": None, "quoted": [], **r}, number, "Närmast:")
            for n, r in enumerate(answer["retrieved"][:3], start=first)
        ]
    if not cards:
        return ""
    label = "Närmaste stycken" if answer["abstained"] else "Källor"
    return (
        f'<details class="kallor" open><summary>{label} till svar {number}: '
        f"<q>{escape(shorten(answer['question']))}</q></summary>{''.join(cards)}</details>"
    )


def _card(citation: dict[str, Any], number: int, label: str = "") -> str:
    """One passage: title, place, the passage with its quoted sentences marked, and a link
    that opens the whole document at it."""
    ref = f"{number}-{citation['n']}"
    prefix = f"{escape(label)} " if label else ""
    text = _marked(citation["text"], list(citation.get("quoted", ()))).replace("\n", "<br>")
    return (
        f'<div class="kallkort kalla-{ref}" id="kalla-{ref}" tabindex="-1">'
        f'<div class="kallrubrik">{prefix}[{citation["n"]}] {escape(citation["title"])}</div>'
        f'<div class="kallplats">{_place(citation)}</div>'
        f"<blockquote>{text}</blockquote>"
        f'<a class="oppna-dokument ref-{ref}" href="#dokumentvisare">Visa i dokumentet</a></div>'
    )


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


def document_view(
    document: Document,
    cited_text: str = "",
    quoted: list[str] | None = None,
    page: tuple[int, str] | None = None,
) -> str:
    """The whole document, passage by passage, after its record card when its front matter
    has labelled fields (``assistant.record_fields``: status, mandate, ...); the cited passage
    (a card too) is marked and has the id the app scrolls to. ``page``: (page number, PNG data
    URI) of a PDF's cited page, shown above the text as it looks, the quoted sentences marked
    (app.web.page_image)."""
    card = record_card(document.chunks[0]) if document.chunks else None
    sections = []
    for chunk in ([card] if card else []) + list(document.chunks):
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
    figure = ""
    if page is not None:
        number, image = page
        figure = (
            f'<figure class="sidbild" id="sidbild"><img src="{image}" alt="Sidan {number} i '
            f'{escape(document.title)} med det citerade stycket markerat"><figcaption>Sidan {number} '
            "som den ser ut, det citerade markerat; texten nedan är den som söks och citeras."
            "</figcaption></figure>"
        )
    return f'<div class="dokumentvy">{head}{figure}{"".join(sections)}</div>'


def _label(access: str) -> str:
    """The access level as users read it; an unknown word as it is."""
    return {level.value: level.label for level in AccessLevel}.get(access, access)
