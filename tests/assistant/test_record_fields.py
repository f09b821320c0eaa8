"""Front-matter fields quoted when asked for (``assistant.record_fields``); no model needed."""

from __future__ import annotations

import pytest

from assistant.fusion import Fused
from assistant.record_fields import (
    CARD,
    HEADING,
    asked_field,
    asks_decisions_taken,
    card_passage,
    decision_taken,
    decision_text,
    field_units,
    named_at,
    record_card,
)
from kbcore.schema import Chunk

DECISION = {
    "doc_id": "beslut/02.md",
    "title": "Nästa steg: Förbereda uppbyggnadsfasen",
    "heading": "Beslut",
    "fm_status": "pågår",
    "fm_Beslutat av": "Styrgruppen",  # a Swedish key, as a user may write it
    "fm_mandat": "Framgår inte av materialet.",
    "fm_source": "sammanfattning.md",
}


@pytest.mark.parametrize(
    ("question", "label", "rest"),
    [
        ("Hur ligger vi till med förberedelserna?", "Status", "med förberedelserna"),
        ("Är arbetet med strategin påbörjat?", "Status", "Är arbetet med strategin"),
        ("Är beslutet om LOI fattat?", "Status", "Är beslutet om LOI"),
        ("Och är den klar?", "Status", "Och är den"),
        ("Hur långt har vi kommit med strategin, är den klar?", "Status", "med strategin, är den klar"),
        ("How far along is the LOI?", "Status", "is the LOI"),
        ("Is the LOI signed yet?", "Status", "Is the LOI yet"),
        ("Vem fattar beslutet i januari?", "Beslutat av", "i januari"),
        ("Vem tar beslut om organisationsformen?", "Beslutat av", "om organisationsformen"),
        ("Who decides on the organisational form?", "Beslutat av", "on the organisational form"),
        ("Who makes the formal decision in January?", "Beslutat av", "in January"),
        ("Vilka tar fram underlaget?", "Förbereds av", "underlaget"),
        ("Vad har Magnus Aspegren för mandat?", "Mandat", "Vad har Magnus Aspegren för"),
        # a mandate by any name: a right, a veto, what an actor may do
        ("Har Östersunds kommun rätt att förhandla?", "Mandat", "Har Östersunds kommun förhandla"),
        ("Får Handelskammaren förhandla?", "Mandat", "Handelskammaren förhandla"),
        ("får kommunerna besluta om etableringar?", "Mandat", "kommunerna besluta om etableringar"),
        ("Does Länsstyrelsen get a veto?", "Mandat", "Does Länsstyrelsen get a"),
        ("Vem är kontaktperson?", "Kontakt", "Vem är"),
        ("Hur kan jag nå honom?", "Kontakt", "Hur kan jag"),
    ],
)
def test_the_field_a_question_asks_for_and_the_rest_of_the_question(question, label, rest):
    asked = asked_field(question)
    assert asked is not None
    assert asked[0].label == label
    assert " ".join(asked[1].replace("?", " ").split()) == rest


@pytest.mark.parametrize(
    "question",
    [
        "Vad är Tillväxtmotorn?",
        "Är Mittuniversitetet med?",
        "Har styrgruppen bekräftat inriktningen?",
        "Har Mittuniversitetet tagit fram något?",  # "tagit" is no state
        "Är det klart vem som deltar?",  # asks who
        "Är det genomförbart?",
        "Är det planerat att bjuda in fler kommuner?",
        # "får" + a noun asks what it receives, "authority" alone names a body
        "Får Tillväxtmotorn ett kontor?",
        "Får Region Jämtland Härjedalen pengar från plattformen?",
        "Which authority is responsible for the platform?",
        "Hur går det till när styrgruppen fattar beslut?",  # how it works
        "Hur långt är det till Östersund?",
        "Who takes part?",
        "Who makes up the steering group?",
        "Hur når vi målet om fler jobb?",
        "När ska processledaren börja?",  # a record's "när" is its own step's
        "Får jag skicka en investerare direkt till Magnus?",  # what the asker may do
        "Vad får plattformen göra?",
    ],
)
def test_a_question_that_asks_for_no_field(question):
    assert asked_field(question) is None


def test_the_record_card_holds_the_title_and_the_labelled_fields_under_its_own_heading():
    chunk = Chunk("beslut/02.md::x::00000", "Magnus och Martin förbereder.", DECISION)
    card = record_card(chunk)
    assert card is not None
    assert card.text.splitlines() == [
        "Titel: Nästa steg: Förbereda uppbyggnadsfasen",
        "Status: pågår",
        "Beslutat av: Styrgruppen",
        "Mandat: Framgår inte av materialet.",
    ]
    assert card.metadata["heading"] == HEADING and card.metadata[CARD] is True
    assert card.doc_id == "beslut/02.md" and card.metadata["fm_source"] == "sammanfattning.md"
    status = asked_field("Vad har uppbyggnadsfasen för status?")
    assert status is not None and [u.text for _, u in field_units(chunk, status[0])] == ["Status: pågår"]
    passage = card_passage(Fused(chunk, 0.7, 3.0, 0.5))
    assert passage is not None and (passage.score, passage.dense) == (0.7, 0.5)


def test_a_document_without_labelled_fields_has_no_card():
    chunk = Chunk("a.md::x::00000", "Text.", {"doc_id": "a.md", "title": "A", "fm_source_section": "3"})
    assert record_card(chunk) is None


@pytest.mark.parametrize(
    ("question", "title", "at"),
    [
        ("Vilket mandat har Länsstyrelsens företrädare?", "Länsstyrelsen", 15),
        ("Vilket mandat har Tillväxtmotorn?", "Den gemensamma plattformen (Tillväxtmotorn)", 15),
        ("Vad har den gemensamma plattformen för mandat?", "Den gemensamma plattformen (Tillväxtmotorn)", 6),
        ("Hur når jag Magnus Aspegren?", "Magnus Aspegren, regional utvecklingsdirektör, Region Jämtland", 9),
        ("Vilket mandat har regionen?", "Länsstyrelsen", None),
        # a lowercase or short alias, or a title that is no person's name before its comma
        ("Är den reviderade strategin klar?", "Projektplan bredband 2026 (reviderad)", None),
        ("Vilka deltagare fanns?", "Kommunerna (Åre)", None),
        ("Vad står i beslutet?", "Beslut, mandat och status för LOI", None),
        ("Vad gäller för LOI?", "Beslut och undertecknande av Letter of Intent (LOI) i januari", None),
    ],
)
def test_a_question_names_a_record_by_title_alias_in_parentheses_or_persons_name(question, title, at):
    assert named_at(question, Chunk("1", "text", {"title": title})) == at


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("Vad har styrgruppen beslutat hittills?", "Vad styrgruppen ?"),
        ("vad har styrgruppen faktiskt beslutat hittills", "vad styrgruppen"),
        ("Vilka beslut har fattats?", "Vilka ?"),
        ("Vilka beslut är tagna?", "Vilka ?"),
        ("Vad kom styrgruppen fram till senast?", "Vad styrgruppen ?"),
        ("Vad har styrgruppen beslutat om referensgruppen?", "Vad styrgruppen om referensgruppen?"),
        ("Vad har styrgruppen beslutat och när?", "Vad styrgruppen och när?"),
        ("Vad beslöt styrgruppen?", "Vad styrgruppen?"),
        ("Vilka beslut togs?", "Vilka ?"),
        ("Vad har styrgruppen beslutat om beslutsunderlaget?", "Vad styrgruppen om beslutsunderlaget?"),
        # the decisions not taken; "tagit" without "beslut"
        ("Vad har inte beslutats ännu?", None),
        ("Vad har projektet tagit fram hittills?", None),
        # a yes/no question about one state, a decision still to come, a detail of one decision
        ("Är organisationsformen beslutad?", None),
        ("Vad ska beslutas vid styrgruppens sammanträde i januari?", None),
        ("Vilket datum beslutade vi om samsynen?", None),
        ("När fattade styrgruppen beslutet?", None),
        ("Vilken inriktning har styrgruppen ställt sig bakom?", None),
    ],
)
def test_a_question_asking_which_decisions_are_taken_and_what_it_is_about(question, about):
    rest = asks_decisions_taken(question)
    assert (None if rest is None else " ".join(rest.split())) == about


def test_a_decision_is_taken_by_its_records_status_in_any_spelling():
    def record(status: str) -> Chunk:
        return Chunk("1", "text", {"fm_decision": "Styrgruppen bekräftar samsyn.", "fm_status": status})

    assert all(decision_taken(record(status)) for status in ("fattat", "Beslutad", "decided"))
    assert not decision_taken(record("planerat")) and not decision_taken(record("pågår"))
    assert not decision_taken(Chunk("1", "text", {"fm_status": "fattat"}))  # no decision recorded
    assert decision_text(record("fattat")) == "Styrgruppen bekräftar samsyn."
    assert decision_text(Chunk("1", "text", DECISION)) == ""
