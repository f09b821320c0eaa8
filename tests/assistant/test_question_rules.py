"""Follow-up detection, expected answer types and compound words: the rules the extractive
writer uses instead of a language model."""

from __future__ import annotations

import pytest

from assistant.abstention import states_absence
from assistant.answer_type import (
    asks_when,
    can_answer,
    holds_condition,
    holds_time,
    kind_words,
    names_asked_kind,
)
from assistant.bm25_view import Bm25View
from assistant.query import Query
from kbcore.schema import Chunk
from kbcore.tuning import FollowupSettings

# the sentence of the summary that names two people and their roles
_TWO_NAMES = (
    "Magnus Aspegren, regional utvecklingsdirektör Region Jämtland Härjedalen, och Martin Söderström, "
    "förbundschef Kommunförbundet Jämtland Härjedalen, förbereder för uppbyggnadsfasen"
)


def search_text(question: str, history: list[str]) -> str:
    return Query.ask(question, history, 0, FollowupSettings()).search_text


@pytest.mark.parametrize(
    ("question", "history", "expected"),
    [
        (
            "Och vem förbereder det?",
            ["Vad beslutas i januari?"],
            "Vad beslutas i januari? Och vem förbereder det?",
        ),
        ("När ska det ske?", ["Vem utser referensgruppen?"], "Vem utser referensgruppen? När ska det ske?"),
        ("Och innovationsfrämjande då?", ["Vad är kompetensattraktion?"], None),
        ("Vilka organisationer deltog i workshopserien?", ["Vad är plattformen?"], "unchanged"),
        ("Och vem förbereder det?", [], "unchanged"),
    ],
)
def test_follow_ups_carry_the_previous_question(question, history, expected):
    result = search_text(question, history)
    if expected == "unchanged":
        assert result == question
    elif expected is None:
        assert result.startswith(history[-1]) and result.endswith(question)
    else:
        assert result == expected


def test_a_chain_of_follow_ups_keeps_the_first_subject():
    history = ["Vem är Martin Söderström?", "Och vad förbereder han?"]
    assert search_text("När ska det vara klart?", history).startswith("Vem är Martin Söderström?")


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Hur många timmar workshops hölls?", "workshops motsvarande14 timmar", True),
        ("Hur många kronor ska regionen bidra med?", "workshops motsvarande 14 timmar", False),
        ("Hur stor är budgeten?", "strategi och verksamhetsplan för 2027", False),
        ("Hur många ska ingå i referensgruppen?", "Styrgruppen utser en referensgrupp.", False),
        ("Hur många ska ingå i den?", "Enligt avsnitt 8 utser styrgruppen en referensgrupp.", False),
        ("För vilket år ska planen tas fram?", "verksamhetsplan för 2027", True),
        ("Vilket år hålls sammanträdet?", "vid styrgruppens sammanträde i januari", False),
        ("Vilket telefonnummer har Magnus Aspegren?", "Magnus Aspegren är utvecklingsdirektör.", False),
        ("Vilket telefonnummer har växeln?", "Ring 063-14 75 00.", True),
        ("How many hours of workshops were held?", "motsvarande14 timmar", True),
        # an English question's counted thing, as the Swedish text names it
        ("How many people are going to work at the platform?", "workshops motsvarande 14 timmar", False),
        ("How many people will be employed?", "Bolaget ska ha 12 anställda och 3 konsulter.", True),
        ("Hur många personer ska arbeta där?", "Bolaget ska ha 12 medarbetare.", True),
        ("Hur många personer ska arbeta där?", "Budgeten är 12 miljoner kronor.", False),
        ("How many employees will it have?", "Bolaget ska ha 12 anställda.", True),
        ("How much money will the region put in?", "Regionen bidrar med 2 miljoner kronor.", True),
        ("How much time did the workshops take?", "workshops motsvarande 14 timmar", True),
        ("How many times did they meet?", "De träffades 5 gånger.", True),
        ("How many hours did it take?", "Det tog 1 timme.", True),
        ("How many hours did it take?", "Det tog 3 dagar.", False),
        ("How many members does the group have?", "Gruppen har 7 ledamöter.", True),
        ("How many people will work there?", "Där ska 12 nya medarbetare arbeta.", True),
        ("How many people took part?", "13 deltagarorganisationer var med.", False),
        ("How many municipalities took part?", "Krokom och Härjedalen, 2 kommuner, deltog.", True),
        ("Vem utser referensgruppen?", "Styrgruppen utser en referensgrupp.", True),
        ("Hur mycket pengar går till kompetens?", "| Kompetensattraktion | 4,5 miljoner kronor |", True),
        ("Hur mycket söktes för projektet?", "| Ragunda | Laddinfrastruktur | 5,19 mnkr |", True),
        ("Hur når jag honom?", "Magnus Aspegren är utvecklingsdirektör.", False),
        ("Och vem beslutar om formen?", "• Besluta om organisationsform och juridisk uppbyggnad.", False),
        ("Vem representerade kommunerna?", "Östersunds kommun deltog i workshopserien.", True),
        ("Vilka personer har uppdrag?", "Magnus Aspegren och Martin Söderström tar fram underlag.", True),
        ("Vilka två personer ansvarar?", "Underlaget tas fram av Magnus Aspegren.", True),
        ("Vilka personer från Mittuniversitetet deltog?", "Mittuniversitetet deltog.", False),
        ("Which people took part?", "Mittuniversitetet deltog i workshopserien.", False),
        ("Och vad kostar det?", "Plattformen ska starta som en Tillväxtmotor 2027.", False),
        ("Vad kostar uppbyggnaden?", "| Uppbyggnad | 4,5 miljoner kronor |", True),
        ("Hur mycket tid lade man på workshoparna?", "workshops motsvarande 14 timmar", True),
        ("Hur mycket tid lade man på workshoparna?", "Workshopserien har avslutats.", False),
        ("What exact date is the meeting?", "vid styrgruppens sammanträde i januari", False),
        ("Vilket exakt datum är mötet?", "Mötet hålls den 14 januari 2027.", True),
        ("Who's my contact person at Handelskammaren?", "Handelskammaren deltog i workshopserien.", False),
        ("Vem är kontaktperson hos regionen?", "Kontakt: Magnus Aspegren, regionen.", True),
        ("Vilka är kontaktpersonerna?", "Styrgruppen samordnar arbetet.", False),
        ("Vad gör kontaktpersonen?", "Kontaktpersonen samordnar arbetet.", True),
        ("Hur mycket tid lade man på workshoparna?", "Tre workshops hölls i år.", False),
        ("Hur mycket tid lade man på workshoparna?", "3 workshops hölls, se dagordningen.", False),
        ("Hur lång tid tar förberedelserna?", "Det tar 10 arbetsdagar.", True),
        ("Vilket belopp år 2027 får regionen?", "Regionen får stöd efter beslut i januari.", True),
        ("Who is the CEO of Tillväxtmotorn?", "Plattformen ska starta som en Tillväxtmotor.", False),
        ("Vem är förbundschef?", "Förbundschefen Martin Söderström förbereder.", True),
        ("Vem blir processledare?", "Processledare ska tillsättas i förberedelsefasen.", False),
        ("Vem är Magnus Aspegren?", "Regionens utvecklingsdirektör förbereder.", True),
        ("Who is preparing the build-up phase?", "Styrgruppen förbereder.", True),
        ("Vem är VD för Tillväxtmotorn?", "Plattformen ska starta som en Tillväxtmotor.", False),
        ("Who is the managing director?", "Plattformen ska starta som en Tillväxtmotor.", False),
        ("Vem är ansvarig för budgeten?", "Kommunförbundet ansvarar för budgeten.", True),
        ("Vem är med i styrgruppen?", "Kommunförbundet och Region Jämtland deltar.", True),
        ("Vem är projektägare?", "Östersunds kommun är projektägare.", True),
        ("Who is the target group?", "Målgruppen är små och medelstora företag.", True),
        # a day is asked for: a year alone does not give it
        ("Vilket datum ska strategin vara klar?", "Strategi och verksamhetsplan för 2027.", False),
        ("Vilket datum ska strategin vara klar?", "Strategin ska vara klar 2027-03-31.", True),
        ("Vilken dag hålls mötet?", "Mötet hålls den 14 januari.", True),
        ("Vilket år ska planen gälla?", "Strategi och verksamhetsplan för 2027.", True),
        # a body's name of two capitalised words names no person
        (
            "Vilka personer deltog?",
            "Från Mittuniversitetet, Region Jämtland Härjedalen och Östersunds kommun.",
            False,
        ),
        (
            "Vilka personer deltog?",
            "Kommunförbundet Jämtland Härjedalen och Samling Näringsliv deltog.",
            False,
        ),
        ("Vilka personer deltog?", "Regionen och förbundschefen Martin Söderström deltog.", True),
        # who sits in a group: its members by name, persons or bodies
        ("Vilka ska sitta i referensgruppen?", "Styrgruppen utser en referensgrupp.", True),
        ("Vilka ska sitta i referensgruppen?", "En referensgrupp utses i samband med starten.", False),
        ("Vilka ingår i styrgruppen?", "I styrgruppen ingår regionen och Kommunförbundet.", True),
        ("Vilka organisationer har deltagit?", "det skedde i tre steg.", False),
        ("Who will sit on the reference group?", "a reference group is appointed at the start.", False),
        # "Vilka steg ingår …?" asks for steps, not members: any sentence may answer
        ("Vilka steg ingår i processen?", "först en kartläggning, sedan en analys.", True),
        # a sentence's opening word, a place after "i" or "från", is no first name
        ("Vilka personer deltog?", "Enligt Tillväxtmotorn deltog många.", False),
        ("Vilka personer deltog?", "Aktörer i Jämtland Härjedalen deltog.", False),
        ("Vilka personer deltog?", "Från Krokom och Härjedalen deltog kommunerna.", False),
        ("Vilka personer deltog?", "Där deltog kommunens Anna Svensson.", True),
        ("Vilka personer kontaktas?", "Frågor skickas till Magnus Aspegren.", True),
        ("Vilka kommer sitta i referensgruppen?", "En referensgrupp utses i samband med starten.", False),
        # a month after a day, not a word that begins like one
        ("Vilket datum hålls mötet?", "Mötet gäller 3 marknadsområden.", False),
        ("Vilket datum hålls mötet?", "Mötet hålls 3 okt. i Östersund.", True),
        # the budget after "what is" asks for an amount; what it is used for does not
        ("What's the yearly budget for the platform?", "Samordna resurser och beslut.", False),
        ("Vad är budgeten för förstudien?", "Budgeten är 400 000 kronor per år.", True),
        ("Vad ska budgeten användas till?", "Till att samordna resurser.", True),
        ("Vad är syftet med budgeten?", "Att samordna resurser.", True),
        ("What’s the platform's annual budget?", "Samordna resurser och beslut.", False),
        # what something cost, asked in the past or with "how much": an amount of money
        ("What did the whole workshop series cost?", "workshops motsvarande 14 timmar", False),
        ("How much did the workshops cost?", "workshops motsvarande 14 timmar", False),
        ("Hur mycket kostade workshopserien?", "workshops motsvarande 14 timmar", False),
        ("Hur mycket kostar uppbyggnaden?", "| Uppbyggnad | 4,5 miljoner kronor |", True),
        # a day of a month is a date, not a size or an amount
        ("Hur stor är budgeten?", "| Budgetuppföljning | 15 september |", False),
        ("Hur stor är budgeten?", "| Summa | 10 miljoner kronor |", True),
        # "what's the date", "vad är datumet": the day itself; "day-to-day" asks no day
        ("What's the exact date of the January meeting?", "vid styrgruppens sammanträde i januari", False),
        ("What is the date of the meeting?", "Mötet hålls den 14 januari 2027.", True),
        ("Vad är datumet för mötet?", "vid styrgruppens sammanträde i januari", False),
        ("What is the day-to-day work of the platform?", "Plattformen samordnar arbetet.", True),
        ("What is the day to day work of the platform?", "Plattformen samordnar arbetet.", True),
        ("What is the day rate for the process leader?", "Processledaren arvoderas.", True),
        # "cost" the noun, or a cost in time: no amount of money is asked for
        ("What did the steering group decide about cost sharing?", "Parterna delar lika.", True),
        ("What will the platform do about cost overruns?", "Styrgruppen följer upp.", True),
        ("What would a cost-benefit analysis show?", "Nyttan är stor.", True),
        ("Hur mycket kostade workshopserien i arbetstid?", "workshops motsvarande 14 timmar", True),
        # how far a piece of work has got is its status, not a length
        ("Hur långt har vi kommit med strategin för 2027?", "Strategin tas fram för 2027.", True),
        ("Hur långt är vägen till Östersund?", "Vägen går till Östersund.", False),
        # "vem" may be answered by a body named by its kind, as the one who acts
        ("Vem ska möta investerarna?", "Enligt avsnitt 5 ska plattformen möta investerare.", True),
        ("Vem leder arbetet?", "Det leds enligt en tydlig plan för arbetet.", False),
        ("Vem ska samordna arbetet?", "Enligt beslutet ska länsstyrelsen samordna arbetet.", True),
        ("Vem ska möta investerarna?", "Investerare i regionen möts på mässan i plattformen.", False),
        ("Vem ska möta investerarna?", "Det är investerarna som kommer till plattformen.", False),
        # … or by what someone does, in a word the question does not use
        ("Vem ersätter skådespelare vid farliga scener?", "En stuntman ersätter skådespelare.", True),
        ("Vem sköter gravarna?", "Gravarna sköts ofta av en kyrkogårdsvaktmästare.", True),
        ("Vem kontrollerar arbetet?", "När översynen är klar kontrollerar flygteknikern arbetet.", True),
        ("Vem ska samordna arbetet?", "Arbetet ska samordnas av en processledare.", True),
        ("Vem ersätter skådespelare?", "Det är en skådespelare som ersätts.", False),
        ("Vem ansvarar för planen?", "Den ersätter en tidigare version.", False),
        ("Vem ansvarar för planen?", "Den antogs under sommaren.", False),
        ("Vem ansvarar för planen?", "Den utgör en grund; en satsning utgör en annan.", False),
        ("Vem ansvarar för planen?", "Det finns en brist på riskkapital.", False),
        ("Vem ansvarar för planen?", "Det ger en viktigare roll åt näringslivet.", False),
        ("Vem ansvarar för planen?", "Den leds av en IT-tekniker.", True),
        # members are named: "kommunerna" is no list of who they are
        ("Vilka organisationer var med?", "Enligt avsnitt 3 var kommunerna med.", False),
        # where something is: a name after a preposition of place, or premises
        ("Var ligger plattformens kontor?", "Workshops hölls från: Mittuniversitetet, Länsstyrelsen.", False),
        ("Var ligger plattformens kontor?", "Kontoret ligger i Östersund.", True),
        ("var sitter vi rent fysiskt?", "Plattformen ska stärka länet.", False),
        ("Where is the platform based?", "Tillväxtmotorn har sitt säte i Östersund.", True),
        ("Var sitter Magnus Aspegren?", "Han är utvecklingsdirektör vid Region Jämtland Härjedalen.", True),
        # "var" as "was", or where an abstract thing lies: no place is asked for
        ("Var Mittuniversitetet med i workshopserien?", "Mittuniversitetet deltog.", True),
        ("Var ligger fokus för plattformen?", "Fokus är grön omställning.", True),
        ("Var fattas det formella beslutet?", "vid styrgruppens sammanträde", True),
        # a price for a service; that there is none answers it too
        ("Tar plattformen betalt av företagen?", "Plattformen ska stärka företagen i länet.", False),
        ("Tar plattformen betalt av företagen?", "Hjälpen är kostnadsfri för företagen.", True),
        ("Finns det någon avgift?", "Avgiften är 500 kronor per år.", True),
        ("Does the platform charge companies for its help?", "Plattformen hjälper företagen.", False),
        ("Who is in charge of the platform?", "Styrgruppen leder arbetet.", True),
        # after another question word it asks that word's thing: where, who
        ("Var tar butikssäljaren betalt?", "Man betalar i kassan.", True),
        ("Vem betalar avgiften?", "Styrgruppen betalar.", True),
        # a role asked about is named where the person is, in Swedish for an English role
        ("Who chairs the steering group?", f"{_TWO_NAMES}.", False),
        ("Who is the CEO of Tillväxtmotorn?", f"{_TWO_NAMES}.", False),
        ("Vem är ordförande i styrgruppen?", f"{_TWO_NAMES}.", False),
        ("Vem är ordförande i styrgruppen?", "Ordföranden är Anna Berg.", True),
        ("Who chairs the steering group?", "Anna Berg är ordförande i styrgruppen.", True),
        ("Who is the regional development director at Region Jämtland Härjedalen?", f"{_TWO_NAMES}.", True),
        ("Vem är förbundschef för Kommunförbundet?", f"{_TWO_NAMES}.", True),
        ("Vem blir vd eller chef för plattformen?", "Anna Berg blir vd.", True),
        ("vem är vd för tillväxtmotorn", "Plattformen leds av Anna Berg, avdelningschef.", False),
        # a name is the answer: no role to name
        ("Vem är Magnus Aspegren?", "Magnus Aspegren arbetar på Region Jämtland Härjedalen.", True),
        ("Who is the spokesman?", "Anna Berg svarar på frågor.", True),
        ("Vem är tänkt att leda arbetet?", "Anna Berg leder arbetet.", True),
        ("Vem blir påverkad av beslutet?", "Anna Berg berörs.", True),
        # a short role stands alone: a chief of the federation is no chief of the platform
        ("Vem är chef för plattformen?", f"{_TWO_NAMES}.", False),
        # a role is held by a person named, not by a body
        ("Who chairs the steering group?", "Styrgruppen utser en ordförande inom sig.", False),
        # no price answers a fee, not what the platform costs or needs
        ("Tar plattformen betalt av företagen?", "Rådgivningen är kostnadsfri för företagen.", True),
        ("Hur mycket pengar behöver plattformen?", "Deltagandet är kostnadsfritt för företagen.", False),
        ("Vad kostar plattformen per år?", "Rådgivningen är gratis för företagen.", False),
        # "Var det …?" is "was it", "Var finns …?" asks for a source: no place is asked
        ("Var det Magnus som satt i styrgruppen?", "Ja, Magnus Aspegren satt i styrgruppen.", True),
        (
            "Var finns mer information om plattformen?",
            "Mer information finns på www.tillvaxtmotorn.se.",
            True,
        ),
    ],
)
def test_a_question_that_asks_for_a_number_date_contact_or_person_needs_one(question, sentence, answers):
    assert can_answer(question, [sentence]) is answers


def test_compounds_of_the_materials_words_are_known_words():
    chunks = [
        Chunk("1", "Investeringar inom säkerhet och försvar. Investeringsfrämjande och nya områden."),
        Chunk("2", "Plattformen ska möta investerare."),
    ]
    view = Bm25View(chunks)
    known = {word: view.knows(view.stems(word)[0]) for word in ("säkerhetsområden", "plattformsfrämjande")}
    assert known == {"säkerhetsområden": True, "plattformsfrämjande": True}
    assert not view.knows(view.stems("telefonnummer")[0])
    unknown = view.unknown_words("Vilket telefonnummer har plattformen egentligen?")
    assert unknown == ["telefonnummer"]  # "egentligen" is a particle, no word of what is asked


def test_a_word_is_known_as_the_last_part_of_the_materials_compound():
    view = Bm25View([Chunk("1", "Mittuniversitetet deltog. Kommunförbundet möts.")])
    assert view.unknown_words("Är universitetet med, och vad gör förbundet?") == []
    assert view.unknown_words("Vilket kontor har de?") == ["kontor"]
    assert Bm25View([Chunk("1", "Varumärket stärks.")]).unknown_words("Vilket märke?") == [
        "märke"
    ]  # too short
    # the first part must be a word's length: "re-" and "pre-" are no words
    chance = Bm25View([Chunk("1", "En revision av prestationen.")])
    assert chance.unknown_words("Vilken vision och vilken station?") == ["vision", "station"]


def test_a_short_stem_is_known_only_by_its_inflections_a_compound_part_also_by_longer_words():
    view = Bm25View([Chunk("1", "Kontakta oss. Beslutet gäller kontoren.")])
    assert not Bm25View([Chunk("1", "Kontakta oss.")]).knows(view.stems("kontor")[0])  # "kont" ~ "kontakt"
    assert view.knows(view.stems("kontor")[0])  # "kontoren"
    assert view.knows(view.stems("beslut")[0])  # "beslutet"
    # a compound's parts: "inne-" and "håll-" start words of the text ("innebär", "hållbar")
    assert Bm25View([Chunk("1", "Det innebär en hållbar utveckling.")]).knows(view.stems("innehålla")[0])


@pytest.mark.parametrize(
    ("question", "sentence", "about"),
    [
        ("Hur mycket pengar har regionen avsatt?", "Belopp och fördelning anges inte.", True),
        ("Hur mycket pengar har regionen avsatt?", "Datum för beslutet anges inte i materialet.", False),
        ("Vilket år hålls sammanträdet?", "Vilket år sammanträdet hålls anges inte i materialet.", True),
        ("Hur når jag honom?", "Kontaktuppgifter anges inte i materialet.", True),
        ("Vilka personer ingår i referensgruppen?", "Referensgruppens sammansättning anges inte.", True),
        ("Hur många anställda får plattformen?", "Antalet anställda anges inte.", True),
        ("Vad är plattformens syfte?", "Kontaktuppgifter anges inte i materialet.", False),
        ("Hur många år tar uppbyggnaden?", "Hur vården berörs anges inte.", False),  # "år" in "vården"
        ("Vem leder arbetet?", "Personalkostnader anges inte.", False),
        ("Vilka ska sitta i referensgruppen?", "Referensgruppens sammansättning anges inte.", True),
        # who decides about the group is not its make-up
        (
            "Vem bestämmer vilka som får sitta i referensgruppen?",
            "Referensgruppens sammansättning anges inte.",
            False,
        ),
        ("Vilket datum undertecknades LOI?", "Datum för beslutet anges inte.", True),
        ("Vilka sitter i styrgruppen?", "Vilka som sitter i styrgruppen anges inte i materialet.", True),
        ("Vem skickar jag investeraren till?", "Kontaktvägar för investerare är inte beslutade.", True),
        # "Who will sit on …?" asks for members, whose make-up the material says is not stated
        ("Who will sit on the reference group?", "Referensgruppens sammansättning anges inte.", True),
    ],
)
def test_a_decline_cites_only_a_not_stated_sentence_about_the_asked_kind(question, sentence, about):
    assert names_asked_kind(question, sentence) is about


def test_the_particles_of_spoken_swedish_are_no_unknown_words():
    view = Bm25View([Chunk("1", "Tillväxtmotorn ska möta investerare. Plattformen startar.")])
    assert view.unknown_words("Vad är Tillväxtmotorn för nåt, kort och gott?") == []
    assert view.unknown_words("Varför startar man plattformen överhuvudtaget?") == []
    # prepositions and sentence adverbs that the stopword list lacks say nothing asked about
    assert (
        view.unknown_words("Vilka investerare möter plattformen via och genom Tillväxtmotorn, alltså?") == []
    )
    # "redan" asks whether something has happened: it stays a word of the question
    assert view.unknown_words("Vilka företag har redan etablerat sig?") == ["företag", "redan", "etablerat"]
    # a particle is left out as written, not by its stem: "senast" and "typer" are asked about
    assert view.unknown_words("Vad beslutades senast om olika typer av stöd?") == [
        "beslutades",
        "senast",
        "olika",
        "typer",
        "stöd",
    ]
    assert view.unknown_words("Vad händer sen, typ?") == ["händer"]


def test_the_gate_knows_only_the_words_of_the_documents_it_would_quote():
    chunks = [
        Chunk("1", "Plattformen ska möta investerare.", {"doc_id": "plattform.md"}),
        Chunk("2", "Myndighetens kontor ligger i Stockholm.", {"doc_id": "referens.md"}),
    ]
    view = Bm25View(chunks)
    kontor = view.stems("kontor")[0]
    assert view.knows(kontor)  # some document of the index uses it ...
    assert not view.document_vocabulary(["plattform.md"]).knows(kontor)  # ... not the platform's
    assert view.document_vocabulary(["plattform.md", "referens.md"]).knows(kontor)
    assert view.unknown_words(
        "Var ligger plattformens kontor?", view.document_vocabulary(["plattform.md"])
    ) == [
        "ligger",
        "kontor",
    ]


def test_words_common_in_swedish_at_large_are_not_taken_out_of_the_question():
    from assistant.everyday import zipf

    view = Bm25View([Chunk("1", "Magnus förbereder uppbyggnadsfasen.", {"doc_id": "beslut.md"})])
    question = "Vilka två personer förbereder nästa fas, och till vilken lön?"
    assert view.unknown_words(question) == ["två", "nästa", "fas", "lön"]
    # "två" (Zipf ~6.1) and "nästa" (~5.6) say how it is asked; "fas" and "lön" what
    assert zipf("två") > 5.0 and zipf("nästa") > 5.0 and zipf("lön") < 5.0
    assert view.unknown_words(question, everyday_bar=5.0) == ["fas", "lön"]
    # a number the material lacks is asked for, however common the digits are
    assert view.unknown_words("Vad förbereder Magnus 2027?", everyday_bar=5.0) == ["2027"]


def test_the_load_of_unknown_words_is_measured_only_when_the_share_calls_for_it():
    from assistant.abstention import should_answer
    from kbcore.tuning import AbstentionSettings

    policy = AbstentionSettings()

    def never() -> float:
        raise AssertionError("the load costs an embedding: not needed below max_unknown_share")

    assert should_answer(policy, "sv", 0.45, 0.3, never)  # weak bar by the share alone
    assert not should_answer(policy, "sv", 0.45, 0.8, lambda: 0.3)  # the unknown words carry it
    assert should_answer(policy, "sv", 0.45, 0.8, lambda: 0.05)  # incidental unknown words
    assert should_answer(policy, "en", 0.33, 1.0, never)
    assert not should_answer(policy, "en", 0.32, 0.0, never)


def test_one_close_sentence_answers_a_swedish_question_that_fails_its_passage_bar():
    from assistant.abstention import should_answer
    from kbcore.tuning import AbstentionSettings

    policy = AbstentionSettings()

    def never() -> float:
        raise AssertionError("the sentences cost embeddings: not needed once a passage bar is met")

    close, far = policy.strong_sentence_similarity, policy.strong_sentence_similarity - 0.01
    # the asked thing is foreign (unknown share and load high), the passages' cosine low
    assert not should_answer(policy, "sv", 0.35, 0.8, lambda: 0.3, sentence_similarity=lambda: far)
    assert should_answer(policy, "sv", 0.35, 0.8, lambda: 0.3, sentence_similarity=lambda: close)
    assert should_answer(policy, "sv", 0.45, 0.3, never, sentence_similarity=never)
    # English questions have their own bar only
    assert not should_answer(policy, "en", 0.30, 0.0, never, sentence_similarity=lambda: 0.9)


def test_the_noun_a_which_or_how_many_question_asks_for_is_the_word_after_it():
    from assistant.answer_type import asked_noun

    assert asked_noun("Vilken konsultbyrå ledde workshoparna?") == "konsultbyrå"
    assert asked_noun("hur många workshoptillfällen hölls det totalt?") == "workshoptillfällen"
    assert asked_noun("Vilket år startade arbetet?") == "år"
    assert asked_noun("Varför en permanent organisation och inte ett projekt?") is None


def test_the_load_is_zero_without_unknown_words_one_with_nothing_else_and_counts_the_conversation(embedder):
    from assistant.extractive import ExtractiveWriter
    from assistant.sentence_selection import SentenceSelector
    from kbcore.tuning import AbstentionSettings, ExtractiveSettings

    view = Bm25View([Chunk("1", "Styrgruppen beslutar om plattformen i januari.", {"doc_id": "beslut.md"})])
    selector = SentenceSelector.load()
    writer = ExtractiveWriter(view, embedder, ExtractiveSettings(), AbstentionSettings(), selector)
    vocabulary = view.document_vocabulary(["beslut.md"])

    def load(question: str, history: list[str]) -> float:
        query = Query.ask(question, history, 0, FollowupSettings())
        return writer.unknown_load(query.embedded(embedder.embed_queries([query.search_text])[0]), vocabulary)

    assert load("Vad beslutar styrgruppen?", []) == 0.0
    assert load("Lönen?", []) == 1.0
    assert 0.0 < load("När ska det ske?", ["Vem betalar lönen till styrgruppen?"]) < 1.0


def test_only_everyday_unknown_words_are_incidental(embedder):
    from assistant.extractive import ExtractiveWriter
    from assistant.sentence_selection import SentenceSelector
    from kbcore.tuning import AbstentionSettings, ExtractiveSettings

    chunk = Chunk(
        "1", "Sedan augusti har vi arbetat med plattformen i workshopar.", {"doc_id": "sammanfattning.md"}
    )
    view = Bm25View([chunk])
    selector = SentenceSelector.load()
    writer = ExtractiveWriter(view, embedder, ExtractiveSettings(), AbstentionSettings(), selector)
    vocabulary = view.document_vocabulary(["sammanfattning.md"])

    def incidental(question: str) -> bool:
        query = Query.ask(question, [], 0, FollowupSettings())
        query = query.embedded(embedder.embed_queries([query.search_text])[0])
        return writer.only_incidental_unknown(query, writer.content_terms(question), vocabulary)

    # Whether everyday words carry the question's meaning, the product model judges
    # (test_platform_answers.py: "började" does not, "barn" does). "lön" (~4.9) is no
    # everyday word: the waiver does not arise
    assert not incidental("När började lönen för plattformen betalas?")
    # no unknown word: nothing to waive
    assert not incidental("Sedan när har vi arbetat med plattformen?")


def test_when_questions_and_sentences_that_say_when() -> None:
    assert asks_when("När ska det formella beslutet fattas?")
    assert asks_when("Och sedan när har man arbetat med det?")
    assert asks_when("Vilken månad undertecknas LOI?")
    assert not asks_when("Vem fattar beslutet när styrgruppen möts?")
    # "när" with its subject opens a clause; the question follows it
    assert not asks_when("När det står att plattformen ska främja investeringar, vad innebär det?")
    assert not asks_when("när det pratas om lokal nytta – vad menas?")
    assert not asks_when("When the platform starts, who will lead it?")
    assert asks_when("När ska beslutet fattas, och vem fattar det?")
    assert asks_when("När vi har fått beslutet, hur länge dröjer det innan start?")
    assert asks_when("När det gäller sammanträdet, vilken månad hålls det?")
    assert not asks_when("Och när det gäller budgeten, vad kostar den?")
    assert asks_when("When will the decision be taken?")
    assert asks_when("Sen när har man hållit på med det här?")  # spoken "sedan när"
    assert holds_time("Beslutet fattas vid styrgruppens sammanträde i januari.")
    assert holds_time("Sedan augusti har vi arbetat gemensamt.")
    assert holds_time("Styrgruppen utser en referensgrupp i samband med starten av förberedelsefasen.")
    assert not holds_time("Källan talar om plattformen; vilken form som väljs är inte beslutat.")
    # how often answers "När har gruppen möten?"; an amount per year does not
    assert holds_time("Kontaktpersonerna deltar i möten fyra gånger per år.")
    assert holds_time("Gruppen träffas varje månad.")
    assert not holds_time("Budgeten är 400 000 kronor per år.")
    # a day; a length says when only to "Hur länge …?"
    assert holds_time("Nästa möte är 12/3 i Östersund.")
    assert holds_time("Förstudien pågår i sex månader.", "Hur länge pågår förstudien?")
    assert not holds_time("Workshops motsvarande 14 timmar.", "Sedan när har man arbetat med detta?")


def test_a_time_of_day_or_week_says_when() -> None:
    assert holds_time("Ridlärarna rider in unghästarna på förmiddagarna.")
    assert holds_time("Den som har beredskap ska vara nåbar dygnet runt.")
    assert holds_time("På helgdagar ska utdelningen vara klar klockan sju.")
    assert holds_time("Mötet börjar kl. 9 i Östersund.")
    assert not holds_time("Klockan är mycket nu.")
    assert not holds_time("Det gäller i vardagen.")
    assert holds_time("Styrgruppen sammanträder på tisdagar.")


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        ("Om du flyttar måste du meddela din nya adress.", True),
        ("Uppgiftsfördelningen ska vara skriftlig om det finns minst tio arbetstagare.", True),
        ("Maskinen körs i ett sluttest när monteringen är klar.", True),
        ("Du får arbeta vidare om din ansökan har kommit in i tid.", True),
        ("Du kan få ett pass om du inte kan få ett hemlandspass.", True),
        # "om" as "about": no subject and verb follow it
        ("Läs mer om det här.", False),
        ("Ansökan om uppehållstillstånd skickas till Migrationsverket.", False),
        ("Styrgruppen ska fatta beslut om organisationsform i januari.", False),
        ("Information om det nya kontoret finns på webben.", False),
        ("Beslut om budgeten fattas av styrgruppen.", False),
        ("Frågan om bolagsformen är inte avgjord.", False),
        ("Diskussionen om organisationsformen fortsätter.", False),
        ("Styrgruppen beslutar om budgeten under hösten.", False),
        # "whether", not "if"
        ("Styrgruppen beslutar om projektet ska fortsätta.", False),
        ("Det är oklart om kommunerna vill delta.", False),
        ("Handläggaren frågar om du har ett arbete.", False),
        # "as for"
        ("När det gäller budgeten beslutar styrgruppen.", False),
        ("Styrgruppen beslutar, om underlaget är klart, i januari.", True),
    ],
)
def test_a_clause_saying_in_which_case_answers_a_question_opened_by_nar(sentence: str, holds: bool) -> None:
    assert holds_condition(sentence, "När måste du göra det?") is holds
    # "Sedan när", "Hur länge" and "Vilken månad" want a time, not a case
    assert not holds_condition(sentence, "Sedan när gäller det?")
    assert not holds_condition(sentence, "Hur länge gäller det?")
    assert not holds_condition(sentence, "När vi har fått beslutet, hur länge dröjer det?")


def test_a_case_answers_a_question_about_when_something_does_not_hold_only_if_it_negates() -> None:
    question = "När kan du inte få resebidrag?"
    assert not holds_condition(
        "Familjemedlemmar kan få resebidrag om de har fått uppehållstillstånd.", question
    )
    assert holds_condition("Du kan inte få resebidrag om du har blivit svensk medborgare.", question)


def test_a_definition_line_waives_the_similarity_bar_but_not_the_vocabulary_test():
    from assistant.abstention import should_answer
    from kbcore.tuning import AbstentionSettings

    policy = AbstentionSettings()
    # "Vad innebär kompetensattraktion i det här sammanhanget?": low cosine, few unknown words
    assert not should_answer(policy, "sv", 0.30, 0.4, lambda: 0.01)
    assert should_answer(policy, "sv", 0.30, 0.4, lambda: 0.01, answer_known=True)
    # "Vad är syftet med fotbollsklubbens ungdomsverksamhet?": "Syfte: ..." is found, the topic is foreign
    assert not should_answer(policy, "sv", 0.30, 0.9, lambda: 0.4, answer_known=True)
    assert not should_answer(policy, "en", 0.30, 0.0, lambda: 0.0, answer_known=True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Vi söker efter nya partners.",
        "Regionen strävar efter hållbar tillväxt.",
        "Arbetet leds sedan av styrgruppen.",
        "Det gäller före detta anställda.",
        "Satsningen ger 2000 arbetstillfällen.",
        "Kostnaden är 1950 kronor.",
    ],
)
def test_an_everyday_efter_sedan_or_an_amount_does_not_say_when(sentence: str) -> None:
    assert not holds_time(sentence)


@pytest.mark.parametrize(
    ("question", "sentence", "covered"),
    [
        ("Vad är syftet?", "Syfte: att locka investeringar.", True),
        ("Vad är tillväxtmotorn?", "Plattformen ska starta som en Tillväxtmotor.", True),
        ("Hur många timmar genomfördes?", "Workshops har genomförts.", True),
        ("Vilka beslut finns?", "Beslutet är fattat.", True),
        # the same start but another word: "kommun" is no inflection of "kommande"
        ("Vilka kommuner?", "den kommande plattformen", False),
        ("Vilka marknader?", "Marken ska köpas.", False),
    ],
)
def test_a_question_word_covers_its_inflections_not_words_with_the_same_start(question, sentence, covered):
    view = Bm25View([Chunk("1", sentence)])
    assert (view.coverage(view.content_terms(question), sentence) > 0) is covered


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("Vilket år ska verksamhetsplanen gälla för?", ["år"]),
        ("Vilka organisationer deltog i workshopserien?", ["organisationer"]),
        ("Hur många timmar workshops hölls?", ["timmar"]),
        ("Vilket telefonnummer har Magnus Aspegren?", ["telefonnummer"]),
        ("What year is the plan for?", ["year"]),
        ("Vem ska möta investerarna?", []),
        ("Vad är syftet med plattformen?", []),
        ("Vad kostar plattformen?", []),
        # values offered to choose between are candidate answers, not the subject
        ("Vilket år är januarisammanträdet – 2026 eller 2027?", ["år", "2026", "2027"]),
        ("När ska strategin för 2027 vara klar?", []),
    ],
)
def test_the_words_that_name_the_asked_kind_are_found(question, words):
    assert kind_words(question) == words


def test_a_question_word_covers_the_compounds_it_starts():
    view = Bm25View([Chunk("1", "Kommunförbundet deltog.")])
    terms = view.content_terms("Vilka kommuner deltog?")
    assert view.coverage(terms, "Förbundet deltog med kommunrepresentation från Krokom.") == 1.0
    assert view.coverage(terms, "Förbundet deltog i kommunikationen.") < 1.0  # "ikationen" is no word
    program = view.content_terms("Vilket program?")
    assert view.coverage(program, "Vi ska programmera mera.") == 0.0  # "mera" is too short a part


def test_who_and_which_questions_are_answered_by_every_subject() -> None:
    from assistant.answer_type import asks_who

    assert asks_who("Vilka organisationer deltog med högsta ledningsnivå?")
    assert asks_who("Vem förbereder uppbyggnadsfasen?")
    assert asks_who("Which organisations took part in the workshops?")
    assert asks_who("Vilka personer har uppdrag?")
    assert not asks_who("Hur många timmar workshops hölls?")
    assert not asks_who("How many hours of workshops were held?")
    assert not asks_who("Vad ska beslutas i januari?")
    assert asks_who("What organisations took part in the workshops?")
    assert asks_who("Kan du räkna upp vilka som deltog?")
    assert asks_who("Hur många organisationer deltog med högsta ledningsnivå?")


def test_the_day_asked_as_what_is_the_date_is_a_time_and_its_noun_names_the_kind() -> None:
    from assistant.answer_type import kind_words

    assert asks_when("Vad är datumet för mötet?") and asks_when("What is the date of the meeting?")
    assert "datumet" in kind_words("Vad är datumet för mötet?")


def test_a_not_stated_sentence_about_another_kind_than_the_asked_one_is_off_kind():
    from assistant.answer_type import absence_off_kind

    composition = "Referensgruppens sammansättning anges inte i materialet."
    assert absence_off_kind("Vem utser referensgruppen?", composition)
    assert not absence_off_kind("Vilka ska sitta i referensgruppen?", composition)
    appointer = "Vem som tillsätter processledaren anges inte i materialet."
    assert absence_off_kind("När ska processledaren tillsättas?", appointer)
    assert not absence_off_kind("När ska processledaren tillsättas?", "Datum för tillsättningen anges inte.")
    # a question that asks for no particular kind: the sentence may be its answer
    form = "Vilken form som väljs är inte beslutat i materialet."
    assert not absence_off_kind("Är det bestämt vilken organisationsform plattformen ska ha?", form)


@pytest.mark.parametrize(
    ("sentence", "question", "absence"),
    [
        ("Kontaktuppgifter anges inte i materialet.", "", True),
        ("Kontaktuppgifter anges inte i materialet.", "Är kontaktpersonen bestämd?", True),
        ("Vilken form som väljs är inte beslutat i materialet.", "Vilket bolag driver plattformen?", True),
        # asked whether it is decided, or what it will be: the sentence answers "not yet"
        ("Vilken form som väljs är inte beslutat i materialet.", "Är organisationsformen spikad?", False),
        ("Vilken form som väljs är inte beslutat i materialet.", "Har vi landat i en form än?", False),
        ("Vilken form som väljs är inte beslutat i materialet.", "Blir det ett bolag?", False),
        (
            "Vilken form som väljs är inte beslutat i materialet.",
            "Är det ett bolag eller en förening eller vad blir det för sorts organisation?",
            False,
        ),
        ("Vilken form som väljs är inte beslutat i materialet.", "Vad ska det bli för organisation?", False),
        ("Styrgruppen utser en referensgrupp.", "", False),
    ],
)
def test_a_not_decided_sentence_answers_a_question_whether_it_is_decided(sentence, question, absence):
    assert states_absence(sentence, question) is absence


def test_a_why_question_may_point_at_the_whole_thing_instead_of_naming_it() -> None:
    from assistant.reasons import EXISTENCE_WORDS, points_at_the_whole

    assert points_at_the_whole("Varför har man dragit igång det här över huvud taget?")
    assert points_at_the_whole("Varför behövs detta?")
    assert not points_at_the_whole("Varför behövs plattformen?")
    assert EXISTENCE_WORDS.findall("Varför startade man det här?") == ["startade", "man"]
    assert not EXISTENCE_WORDS.search("Varför är det här försenat?")
