"""The quoted answer says each fact once (from the primary document, both sources cited),
a sentence opening with a pronoun names what it refers to, and a record's "enligt avsnitt N"
names its source document. No model: the composer works on chosen units."""

from __future__ import annotations

import unicodedata

from assistant.composition import Composer
from assistant.fusion import Fused
from assistant.restatement import restates
from assistant.sentences import split_units
from kbcore.schema import Chunk

SUMMARY = "Styrgruppen ska fatta formellt beslut och underteckna en Letter of Intent i januari."
RECORD = (
    "Vid styrgruppens sammanträde i januari ska styrgruppen fatta formellt beslut och underteckna "
    "Letter of Intent."
)


def _passage(doc: str, text: str, **metadata) -> tuple[Fused, list]:
    chunk = Chunk(f"{doc}::0", text, {"doc_id": doc, "path": f"corpus/{doc}", "title": doc, **metadata})
    return Fused(chunk, 0.5), list(enumerate(split_units(text)))


def test_two_passages_saying_the_same_thing_are_quoted_once_from_the_primary_with_both_cited() -> None:
    record = _passage("beslut-03.md", RECORD, fm_source="sammanfattning.md")
    summary = _passage("sammanfattning.md", SUMMARY + " Arbetet har pågått sedan augusti.")
    text, citations = Composer({}, 0.8).compose([record, summary])
    assert text.count("Letter of Intent") == 1 and SUMMARY in text and RECORD not in text
    assert "[1][2]" in text  # the kept sentence carries both sources
    assert [c.doc_id for c in citations] == ["sammanfattning.md", "beslut-03.md"]
    assert citations[1].quoted == (RECORD,)  # the source card still marks the record's sentence


def test_a_sentence_that_another_of_its_own_passage_says_more_fully_is_quoted_once() -> None:
    short = "Styrgruppen har bekräftat samsyn kring plattformens inriktning."
    full = (
        "Styrgruppen bekräftar att det finns samsyn kring inriktningen och plattformens behov "
        "av gemensam handling."
    )
    other = "Arbetet har pågått sedan augusti."
    text, citations = Composer({}, 0.8).compose([_passage("beslut-01.md", f"{short} {full} {other}")])
    assert short not in text and full in text and other in text
    assert citations[0].quoted == (full, other)
    twice, _ = Composer({}, 0.8).compose([_passage("beslut-01.md", f"{other} {other}")])
    assert twice.count(other) == 1  # of two alike, the first stays
    # a list item is a fact of its list, kept beside a sentence that says it too
    listing = (
        "Kommunförbundet Jämtland Härjedalen deltog med högsta ledning.\n\nDeltagare:\n"
        "- Kommunförbundet Jämtland Härjedalen\n- Region Jämtland Härjedalen"
    )
    text, _ = Composer({}, 0.8).compose([_passage("sammanfattning.md", listing)])
    assert "- Kommunförbundet Jämtland Härjedalen" in text and "- Region Jämtland Härjedalen" in text
    # ... and a sentence that a list item of its passage says more fully goes
    quoted = f"{short}\n\nBeslut:\n- {full}"
    text, _ = Composer({}, 0.8).compose([_passage("beslut-01.md", quoted)])
    assert short not in text and full in text


def test_sentences_on_one_topic_are_not_restatements() -> None:
    assert restates(SUMMARY, RECORD, 0.8)
    assert not restates(SUMMARY, "Styrgruppen består av tre personer från Region Jämtland Härjedalen.", 0.8)


def test_a_first_sentence_opening_with_a_pronoun_gets_its_document_title() -> None:
    actor = _passage(
        "region.md", "Dess uppdrag är att leda det regionala utvecklingsarbetet.", title="Region JH"
    )
    text, _ = Composer({}, 0.8).compose([actor])
    assert text.startswith("Region JH: Dess uppdrag är")


def test_a_records_section_reference_names_the_document() -> None:
    record = _passage(
        "beslut-07.md", "Enligt avsnitt 7 utreds organisationsformen.", fm_source="sammanfattning.md"
    )
    text, _ = Composer({"sammanfattning.md": "Workshopserien – sammanfattning"}, 0.8).compose([record])
    assert "Enligt avsnitt 7 (i Workshopserien – sammanfattning) utreds" in text
    unnamed, _ = Composer({}, 0.8).compose([record])  # the source is not readable at this level
    assert "Enligt avsnitt 7 utreds" in unnamed
    named = _passage(
        "martin.md", "Enligt avsnitt 7 i sammanfattningen förbereder han.", fm_source="sammanfattning.md"
    )
    text, _ = Composer({"sammanfattning.md": "Workshopserien – sammanfattning"}, 0.8).compose([named])
    assert "Enligt avsnitt 7 i sammanfattningen förbereder" in text  # it names its document already


def test_the_same_pattern_about_another_name_or_number_is_another_fact() -> None:
    pattern = "{} deltog med högsta ledningsnivå i workshopserien som omfattade {} timmar."
    assert not restates(pattern.format("Mittuniversitetet", 14), pattern.format("Länsstyrelsen", 14), 0.8)
    assert not restates(pattern.format("Handelskammaren", 14), pattern.format("Handelskammaren", 12), 0.8)
    passages = [_passage(f"{n}.md", pattern.format(n, 14)) for n in ("Mittuniversitetet", "Länsstyrelsen")]
    text, _ = Composer({}, 0.8).compose(passages)
    assert "Mittuniversitetet" in text and "Länsstyrelsen" in text


def test_a_sentence_another_one_contains_goes_and_the_fuller_one_stays() -> None:
    role = _passage("martin.md", "Martin Söderström är förbundschef vid Kommunförbundet.")
    fuller = (
        "Magnus Aspegren och Martin Söderström, förbundschef vid Kommunförbundet, förbereder "
        "uppbyggnadsfasen."
    )
    text, citations = Composer({}, 0.8).compose([role, _passage("beslut.md", fuller)])
    assert text == f"{fuller} [1][2]" and len(citations) == 2


MARTIN = (
    "Enligt avsnitt 7 i sammanfattningen förbereder han, tillsammans med Magnus Aspegren, regional "
    "utvecklingsdirektör vid Region Jämtland Härjedalen, för uppbyggnadsfasen."
)
MAGNUS = (
    "Enligt avsnitt 7 i sammanfattningen förbereder han, tillsammans med Martin Söderström, förbundschef "
    "vid Kommunförbundet Jämtland Härjedalen, för uppbyggnadsfasen."
)
BOTH = (
    "Magnus Aspegren, regional utvecklingsdirektör Region Jämtland Härjedalen, och Martin Söderström, "
    "förbundschef Kommunförbundet Jämtland Härjedalen, förbereder för uppbyggnadsfasen."
)
# The records' titles, as in corpus/aktorer/.
MARTIN_TITLE = "Martin Söderström, förbundschef, Kommunförbundet Jämtland Härjedalen"
MAGNUS_TITLE = "Magnus Aspegren, regional utvecklingsdirektör, Region Jämtland Härjedalen"


def test_a_records_section_number_does_not_keep_its_restatement_apart_from_the_original() -> None:
    original = "Organisationsformen utreds i förberedelsefasen."
    assert restates("Enligt avsnitt 7 utreds organisationsformen i förberedelsefasen.", original, 0.8)
    assert not restates(
        "Enligt avsnitt 7 utreds organisationsformen.", "Enligt avsnitt 7 väljs styrgruppen.", 0.8
    )


def test_a_han_after_a_fronted_phrase_gets_the_title_and_two_records_of_one_fact_are_quoted_once() -> None:
    martin = _passage("martin.md", MARTIN, title=MARTIN_TITLE, fm_source="sammanfattning.md")
    magnus = _passage("magnus.md", MAGNUS, title=MAGNUS_TITLE, fm_source="sammanfattning.md")
    text, _ = Composer({}, 0.8).compose([martin, magnus])
    assert text.startswith(MARTIN_TITLE + ": Enligt avsnitt 7")  # who "han" is
    assert MAGNUS_TITLE not in text  # Magnus's record says the same, with the names swapped
    assert text.endswith("[1][2]")
    summary = _passage("sammanfattning.md", BOTH)
    text, _ = Composer({}, 0.8).compose([martin, magnus, summary])
    assert text == BOTH + " [1][2][3]"  # the original says it for both records


def test_a_han_the_sentence_names_or_the_sentence_before_explains_gets_no_title() -> None:
    named = _passage("martin.md", "Magnus Aspegren leder arbetet och han rapporterar till styrgruppen.")
    text, _ = Composer({}, 0.8).compose([named])
    assert text.startswith("Magnus Aspegren leder")
    record = _passage("martin.md", "Martin Söderström är förbundschef. " + MARTIN, title=MARTIN_TITLE)
    text, _ = Composer({}, 0.8).compose([record])  # both sentences quoted: "han" is Martin
    assert text.startswith("Martin Söderström är förbundschef. Enligt avsnitt 7")


def _actor(name: str) -> tuple[Fused, list]:
    """An actor record derived from the summary, saying the summary's fact about its subject."""
    text = (
        f"{name} deltog med högsta ledningsnivå i workshopserien, som enligt avsnitt 3 omfattade "
        "workshops motsvarande 14 timmar."
    )
    doc = name.casefold().replace(" ", "-") + ".md"
    chunk = Chunk(f"{doc}::0", text, {"doc_id": doc, "path": f"corpus/aktorer/{doc}", "title": name,
                                      "fm_source": "sammanfattning.md"})  # fmt: skip
    return Fused(chunk, 0.5), list(enumerate(split_units(text)))


def test_one_statement_about_several_records_subjects_is_quoted_once_unless_who_is_asked() -> None:
    actors = [_actor("Länsstyrelsen"), _actor("Handelskammaren"), _actor("Samling Näringsliv")]
    text, citations = Composer({}, 0.8).compose(actors)
    assert text.count("14 timmar") == 1 and text.startswith("Länsstyrelsen deltog")
    assert "[1][2][3]" in text and len(citations) == 3  # every record stays cited
    # "Vilka organisationer deltog?": each subject is an answer of its own
    text, _ = Composer({}, 0.8).compose(actors, keep_subjects=True)
    assert text.count("14 timmar") == 3 and "Handelskammaren deltog" in text


def test_records_of_different_sources_or_saying_different_things_stay_apart() -> None:
    other_source = _actor("Handelskammaren")
    other_source[0].chunk.metadata["fm_source"] = "beslut-01.md"
    role = "Martin Söderström är förbundschef vid Kommunförbundet Jämtland Härjedalen."
    chief = _passage("martin.md", role, fm_source="sammanfattning.md", title="Martin Söderström")
    director = _passage(
        "magnus.md",
        "Magnus Aspegren är regional utvecklingsdirektör vid Region Jämtland Härjedalen.",
        fm_source="sammanfattning.md",
        title="Magnus Aspegren",
    )
    text, _ = Composer({}, 0.8).compose([_actor("Länsstyrelsen"), other_source, chief, director])
    assert text.count("14 timmar") == 2 and role in text and "utvecklingsdirektör" in text


def test_a_records_title_is_taken_out_only_as_the_subject_it_opens_with() -> None:
    # each record's title stands as the partner, not the subject: two facts
    lans = "Regionen samarbetar med Länsstyrelsen i workshopserien."
    handel = "Regionen samarbetar med Handelskammaren i workshopserien."
    with_lans = _passage("a.md", lans, fm_source="s.md", title="Länsstyrelsen")
    with_handel = _passage("b.md", handel, fm_source="s.md", title="Handelskammaren")
    text, _ = Composer({}, 0.8).compose([with_lans, with_handel])
    assert lans in text and handel in text
    card = _actor("Handelskammaren")
    card[0].chunk.metadata["record_card"] = True
    text, _ = Composer({}, 0.8).compose([_actor("Länsstyrelsen"), card])
    assert text.count("14 timmar") == 2  # a record card's line is no sentence of the record


def test_the_source_document_comes_before_the_first_record_derived_from_it() -> None:
    summary = _passage(
        "sammanfattning.md", "Totalt har vi genomfört workshops motsvarande 14 timmar tillsammans."
    )
    decision = _passage("beslut.md", "Styrgruppen beslutade om inriktningen i december.")
    text, citations = Composer({}, 0.8).compose([decision, _actor("Länsstyrelsen"), summary])
    assert [c.doc_id for c in citations] == ["beslut.md", "sammanfattning.md", "länsstyrelsen.md"]
    assert text.index("Totalt har vi") < text.index("Länsstyrelsen deltog")
    # two passages of the source both come before the record, in their own order
    second = _passage("sammanfattning.md", "Arbetet har pågått sedan augusti.")
    text, citations = Composer({}, 0.8).compose([_actor("Länsstyrelsen"), summary, decision, second])
    assert [c.doc_id for c in citations][:3] == ["sammanfattning.md", "sammanfattning.md", "länsstyrelsen.md"]
    assert text.index("[1]") < text.index("[2]") < text.index("[3]") < text.index("[4]")


STEPS = (
    "- Forma styrgrupp och tillsätta processledare.\n"
    "- Säkerställa finansiering och resursbidrag från aktörer.\n"
    "- Besluta om organisationsform och juridisk uppbyggnad."
)
STEP_RECORD = "Ett av stegen i förberedelsefasen är att besluta om organisationsform och juridisk uppbyggnad."


def _step_record(doc: str, text: str) -> tuple[Fused, list]:
    return _passage(
        doc, text, fm_source="sammanfattning.md", fm_source_section="8. Vad som händer efter beslut"
    )


def test_a_records_restatement_of_an_item_goes_where_its_source_list_is_quoted_whole() -> None:
    steps = _passage("sammanfattning.md", STEPS, heading="8. Vad som händer efter beslut")
    record = _step_record("beslut-07.md", STEP_RECORD)
    text, citations = Composer({}, 0.8).compose([record, steps])
    assert STEP_RECORD not in text and text.count("organisationsform") == 1
    assert text.startswith("- Forma styrgrupp") and text.endswith("[1][2]")  # the record cited on the list
    assert [c.doc_id for c in citations] == ["sammanfattning.md", "beslut-07.md"]
    # one item quoted alone: the record's sentence says what it is a step of, and stays
    one = (steps[0], [steps[1][2]])
    text, _ = Composer({}, 0.8).compose([record, one])
    assert STEP_RECORD in text and "- Besluta" not in text
    # a record's sentence that names a body or gives a figure the item lacks says more, and
    # so does one that leans on its title ("Dess belopp ...")
    more = (
        "Ett av stegen är att säkerställa finansiering och resursbidrag från aktörer, där "
        "Regionen bidrar med 2 miljoner kronor."
    )
    text, _ = Composer({}, 0.8).compose([_step_record("beslut-06.md", more), steps])
    assert "2 miljoner kronor" in text and "- Säkerställa finansiering" in text
    leaning = "Dess belopp ska vara 2 miljoner kronor per år."
    titled = _passage(
        "beslut-06.md",
        leaning,
        title="Efter beslut: Säkerställa finansiering och resursbidrag från aktörer",
        fm_source="sammanfattning.md",
        fm_source_section="8. Vad som händer efter beslut",
    )
    text, _ = Composer({}, 0.8).compose([titled, steps])
    assert "2 miljoner kronor per år" in text
    # the section named in another Unicode form or case is the same heading
    nfd = _passage(
        "beslut-07.md",
        STEP_RECORD,
        fm_source="sammanfattning.md",
        fm_source_section=unicodedata.normalize("NFD", "8. VAD SOM HÄNDER EFTER BESLUT"),
    )
    text, _ = Composer({}, 0.8).compose([nfd, steps])
    assert STEP_RECORD not in text
    # a record of another section of the source is no restatement of this list's items
    other = _passage(
        "beslut-07.md", STEP_RECORD, fm_source="sammanfattning.md", fm_source_section="3. Vad vi har gjort"
    )
    text, _ = Composer({}, 0.8).compose([other, steps])
    assert STEP_RECORD in text and "- Forma styrgrupp" in text


def test_the_next_sentence_goes_on_when_it_points_back_or_opens_with_a_noun_the_quoted_one_named() -> None:
    from assistant.bm25_view import Bm25View
    from assistant.extractive import goes_on

    quoted = "Sedan 1987 finns ett internationellt avtal som kallas Montrealprotokollet."
    bm25 = Bm25View([Chunk("1", quoted)])
    unit, item = split_units(quoted)[0], split_units("- Avtalet gäller alla länder.")[0]

    def after(text: str) -> bool:
        return goes_on(unit, split_units(text)[0], bm25)

    assert after("Det ställer krav på länderna.")
    assert after("Avtalet ställer krav på deltagande länder.")  # "avtal", inflected
    assert not after("Det finns fler avtal.")  # an empty "det" starts afresh
    assert not after("Den 15 mars träffas parterna.")  # a date
    assert not after("Sverige ställer krav på länderna.")  # a name, not a noun of the sentence
    assert not after("Ozonet skyddar jorden.")  # inflected, but not named before
    assert after("Man följer upp avtalet varje år.")  # the same generic subject
    assert after("I avtalet ingår också krav på rapporter.")  # the noun after a preposition
    assert after("I detta ingår krav på rapporter.")
    assert not after("I Sverige gäller avtalet sedan 1988.")  # a name after the preposition
    assert not after("I arbetet ingår rapporter.")  # a noun not named before
    assert not after("Under de senaste åren har avtalet skärpts.")  # "de" is no pointer here
    assert not after("I det nya programmet ingår fler länder.")
    assert after("Till detta kommer krav på rapporter.")
    assert not after("Det anges inte vilka länder som deltar.")  # a "not stated" sentence
    assert not goes_on(unit, item, bm25)  # a list item belongs to its list


def test_a_sentence_opening_with_a_pronoun_or_a_joining_word_leans_on_the_one_before() -> None:
    from assistant.composition import LEANS_ON_PREVIOUS

    for text in (
        "Därför bör vi samla våra krafter.",
        "Men värdet av dem skapas någon annanstans.",
        "Han leder.",
    ):
        assert LEANS_ON_PREVIOUS.match(text), text
    for text in (
        "Det arbete som genomförts utgör ett underlag.",
        "Sedan augusti har vi arbetat.",
        "Mennesker",
    ):
        assert not LEANS_ON_PREVIOUS.match(text), text
