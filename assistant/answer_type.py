"""What kind of answer a question asks for, when the wording says so, and whether quoted
sentences can be that answer.

"Hur många kronor ...?" wants a number, "Vilket år ...?" a year, "Vilket telefonnummer
...?" a contact detail. Quoting sentences that hold none of these (the person's title, the
meeting's month) would answer with confidence a question the material cannot answer; an
extractive writer can check this without a language model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_NUMBER_WORDS = (
    r"två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tjugo|hundra|tusen|miljon\w*|miljard\w*|"
    r"two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million\w*|billion\w*"
)
_QUANTITY = re.compile(
    r"\b(?:hur (?:många|mycket|stor|stort|stora|lång|långt)|how (?:many|much|large|big|long))\s+(\w+)?", re.I
)
# "Hur långt har vi kommit med strategin?", "How far along is the LOI?" ask how far a piece
# of work has got (its status), not for a length.
PROGRESS_QUESTION = (
    r"\bhur långt (har|hade|är|var)\b.{0,60}?\b(kommit|hunnit|framskridet|framskriden)\b|"
    r"\bhur långt (kommen|kommet|komna|framskriden|framskridet)\b|"
    r"\bhow far along\b|\bhow far (have|has|did) .{0,40}?\b(come|got|gotten|progressed)\b"
)
_PROGRESS = re.compile(PROGRESS_QUESTION, re.I)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_NUMBER = re.compile(rf"(\d[\d\s.,]*\d|\d)|\b({_NUMBER_WORDS})\b", re.I)
# Words after "hur många" that are not the counted thing ("Hur många ska ingå?").
_NOT_A_UNIT = {
    "ska",
    "skall",
    "har",
    "är",
    "var",
    "blir",
    "kan",
    "får",
    "finns",
    "de",
    "det",
    "som",
    "of",
    "are",
}
# What an English question counts, as the Swedish material names it after the number: a
# stem that its inflections share ("hours" -> "tim": "1 timme", "14 timmar"); people and
# members by any of their names (``_PERSONS``). Other English words after "how many" name no
# unit the material would use, so any figure may answer.
_ENGLISH_UNITS = {
    "people": "personer",
    "persons": "personer",
    "employees": "anställda",
    "staff": "anställda",
    "members": "ledamöter",
    "hours": "tim",
    "days": "dag",
    "weeks": "veck",
    "months": "månad",
    "municipalities": "kommun",
    "organisations": "organisation",
    "organizations": "organisation",
    "workshops": "workshop",
    "meetings": "möte",
    "steps": "steg",
    "money": "pengar",
    "funding": "pengar",
    "time": "tid",
}
# People counted under any of their names: "Hur många personer ...?" and "12 nya anställda",
# "7 ledamöter" (not "13 deltagarorganisationer").
_PERSON_WORDS = (
    r"person(er|erna)?|anställd[ae]?|medarbetare(n|na)?|deltagare(n|na)?|"
    r"ledam(ot|öter|öterna)|medlem(mar|marna)?"
)
_PERSONS = re.compile(rf"^({_PERSON_WORDS})$", re.I)
_PERSONS_AFTER = re.compile(rf"^\s*(\w+\s+)?({_PERSON_WORDS})\b", re.I)
# A verb in the past or passive after "hur mycket" ("Hur mycket söktes ...?") is not a unit.
_PAST_OR_PASSIVE = re.compile(r"(ades|ade|des|tes|dde|tte)$", re.I)
# "Hur mycket tid ...?", "Hur lång tid ...?", "Hur mycket arbetstid ...?" are answered by a
# duration in any unit, right after the number ("14 timmar", "10 arbetsdagar").
_DURATION = re.compile(r"tid$", re.I)
_DURATION_UNIT = re.compile(
    r"^\s*(timm(e|ar|arna)?|tim|h|minut(er)?|min|\w*dag(ar|en|arna)?|dygn|veck(a|or|orna)|månad(er)?|år)\b",
    re.I,
)
# "Hur mycket pengar ...?" is answered by an amount in any currency unit.
_MONEY = re.compile(
    r"(pengar|medel|kronor|kr|belopp|budget\w*|kostnad\w*|avgift\w*|summa|money|funding)$", re.I
)
_CURRENCY = re.compile(r"\b(kr|kronor|sek|mkr|mnkr|msek|tkr|miljon\w*|miljard\w*|euro|eur|€|\$)", re.I)
_REFERENCE = re.compile(r"\b(avsnitt|kapitel|kap\.|sida|sidan|s\.|§|punkt|bilaga|section|page)\s*$", re.I)
# "Vilket exakt datum ...?", "What exact date ...?": a qualifier may stand before the noun
# (any word would let "Vilket belopp år 2027?" ask for a date).
_DATE_QUALIFIER = (
    r"((exakt|exakta|precis|sista|första|nästa|planerade|exact|specific|last|first|next|target) )?"
)
# "Vad är datumet för …?", "What's the date of …?" ask for the day as "Vilket datum" does;
# not "the day-to-day work", "the day to day work", "the day rate".
_THE_DAY = (
    rf"vad är (det )?{_DATE_QUALIFIER}datum(et)?|(what is|what[’']s) the {_DATE_QUALIFIER}(date|day)"
    r"(?!-|\s+to\s+day|\s+(rate|job|trip)s?\b)"
)
_DATE_QUESTION = re.compile(
    rf"\b(vilket {_DATE_QUALIFIER}(år|datum)|vilken {_DATE_QUALIFIER}dag"
    rf"|(what|which) {_DATE_QUALIFIER}(year|date)|{_THE_DAY})\b",
    re.I,
)
# "Vilket datum ...?", "Vilken dag ...?", "What date ...?" ask for the day itself: a year
# alone ("strategi ... för 2027") does not answer them.
_DAY_QUESTION = re.compile(
    rf"\b(vilket {_DATE_QUALIFIER}datum|vilken {_DATE_QUALIFIER}dag|(what|which) "
    rf"{_DATE_QUALIFIER}(date|day)|{_THE_DAY})\b",
    re.I,
)
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
# A day: "3 mars", "3 okt.", "12/3", "3:e", "2027-01-15" (not "3 marknadsområden").
_MONTH_NAMES = (
    rf"{_MONTHS}|january|february|march|may|june|july|august|october|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec"
)
_DAY = re.compile(
    rf"\b\d{{1,2}}(:e|/\d{{1,2}}| ({_MONTH_NAMES})\b)|\b(1[89]|20)\d\d-\d\d-\d\d\b",
    re.I,
)
_DATE = re.compile(rf"\b(1[89]|20)\d\d\b|{_DAY.pattern}", re.I)
_CONTACT_QUESTION = re.compile(
    r"telefon|\bnummer\b|e-?post|mejl|mail|adress|kontaktuppgift|\bnår (jag|man|vi)\b|"
    r"phone|e-?mail|address|contact details|\breach (him|her|them)\b",
    re.I,
)
_CONTACT = re.compile(r"@|\+?\d[\d\s-]{5,}\d|www\.|https?://|\bgatan\b|\bvägen\b|\bbox \d", re.I)
# "Var ligger kontoret?", "Var ska Tillväxtmotorn ha sitt kontor?", "var sitter vi rent
# fysiskt?", "Where is the platform based?" ask for a place: "var"/"where" with a verb or noun
# of location in the same question. Not "Var Mittuniversitetet med?", "Var det Magnus som satt
# i styrgruppen?" (was), "Var fattas beslutet?" (at a meeting), "Var finns mer information?" (a
# source), nor where an abstract thing lies ("Var ligger fokus?").
_PLACE_QUESTION = re.compile(
    r"^\W*(och\s+)?(var|vart|where)\b"
    r"(?!\s+(det|detta|den|han|hon|hen|de|dom|ni|du|jag|vi|man|någon|nån|alla)\b)"
    r"(?=[^?]*\b(ligger|ligga|låg|legat|sitter|sitta|satt|suttit|hålls|hållas|placeras|placerad\w*|"
    r"lokaliseras|lokaliserad\w*|kontor\w*|huvudkontor\w*|säte\w*|lokaler(na)?|located|based|office\w*|"
    r"headquarter\w*|sits?|held)\b)"
    r"(?![^?]*\b(fokus\w*|tyngdpunkt\w*|ansvar\w*|skillnad\w*|problem\w*|utmaning\w*|nytta\w*|värde\w*|"
    r"vikt\w*|prioritet\w*|makt\w*|mandat\w*|focus|emphasis|responsibility|difference|problem|power)\b)",
    re.I,
)
# A place: a capitalised name after a preposition of place ("i Östersund", "vid Region Jämtland
# Härjedalen", "hos Mittuniversitetet", "in Östersund") or a word for premises ("kontoret",
# "lokalerna", "adressen").
_PLACE = re.compile(
    r"\b(?i:i|på|vid|hos|inom|utanför|in|at)\s+[A-ZÅÄÖ][\w-]+|"
    r"\b(?i:kontor\w*|lokal(en|er|erna)|adress\w*|premises|office\w*|campus)\b"
)


# "Vem ...?" and "Vilka personer ...?" are answered by a name: a capitalised word after the
# first ("Magnus Aspegren", "Region Jämtland Härjedalen"), or a first word in the definite
# or genitive form of a body ("Styrgruppen", "Kommunförbundet", "Östersunds kommun"). A capitalised verb
# that opens a list item ("Besluta om organisationsform ...") names no one.
_PERSON_QUESTION = re.compile(r"^\W*(och\s+)?(vem|who)\b", re.I)
# "Vilka personer ...?" asks for people by name, not for the bodies a "vem" may be answered
# with: "Mittuniversitetet deltog" names no person, "Magnus Aspegren" does.
_PEOPLE_QUESTION = re.compile(
    r"\b(vilka (\w+ )?personer|vilken person|which (\w+ )?(people|persons?)"
    r"|(vem|vilken|vilka|who|which)\b.*\b(kontaktperson(en|er|erna)?|contact (persons?|people)))\b",
    re.I,
)
# "Vilka ska sitta i referensgruppen?", "Vilka ingår i styrgruppen?", "Who will sit on …?"
# ask who its members are: persons or bodies, by name, as "Vem ...?" does; the material
# says they are not stated with words of a group's make-up ("sammansättning").
# The one word that may stand between "vilka" and the verb names kinds of actor ("Vilka
# organisationer ingår …?"), not of thing ("Vilka steg ingår i processen?").
_ACTORS = (
    r"organisationer(na)?|aktörer(na)?|parter(na)?|kommuner(na)?|myndigheter(na)?|företag(en)?|"
    r"personer(na)?|representanter(na)?|ledamöter(na)?|medlemmar(na)?|deltagare(na)?|"
    r"regioner(na)?|intressenter(na)?|länsstyrelser(na)?|universitet(en)?|"
    r"organi[sz]ations|actors|parties|municipalities|people|members|representatives"
)
_MEMBERS_QUESTION = re.compile(
    rf"^\W*(och\s+)?(vilka|who)\s+(({_ACTORS})\s+)?"
    r"((ska|skall|skulle|kommer att|kommer|kan|får|bör|brukar|har|hade"
    r"|will|would|should|can|may|have|has)\s+)?"
    r"(sitta|sitter|satt|suttit|ingå|ingår|ingick|ingått|vara med|är med|var med|varit med"
    r"|delta|deltar|deltog|deltagit|sit|sits|sat|be on|are on|is on|been on"
    r"|take part|took part|taken part)\b",
    re.I,
)
# "Vem är/blir vd för bolaget?", "Vem är VD?", "Who is the CEO of …?": a role, held by a
# person named. Not "Vem är Magnus Aspegren?" (a capitalised word is a name), "Vem är det som
# …?", "Vem är med/ansvarig …?" (a body may be the answer), nor roles a body usually holds
# ("projektägare", "huvudman", "målgruppen", "the target group"). The role's first letter is
# matched case-sensitively.
_NOT_A_ROLE = (
    r"(det|den|detta|denna|dessa|denne|han|hon|hen|de|dom|ni|du|jag|vi|man|med|inte|också|här|där|nu|"
    r"egentligen|ansvarig\w*|delaktig\w*|involverad\w*|projektägare\w*|huvudm[aä]n\w*|ägare\w*|"
    r"beställare\w*|finansiär\w*|mottagare\w*|arbetsgivare\w*|målgrupp\w*|"
    r"target|owner|client|recipient|funder|employer|audience|responsible|organi[sz]ation)\b"
)
_ROLE_QUESTION = re.compile(
    rf"^\W*(?i:och\s+)?((?i:vem\s+(är|blir))\s+(?!(?i:{_NOT_A_ROLE}))(?P<sv>[a-zåäö]|[A-ZÅÄÖ]{{2,}}\b)"
    rf"|(?i:(who is|who's|who will be)\s+(the|my|our|your|their)\s+(?!{_NOT_A_ROLE}))(?P<en>))"
)
# The role such a question asks about must be named where the person is: "Magnus Aspegren,
# regional utvecklingsdirektör" does not say who chairs the steering group or is the CEO. The
# role is the one to three words after "Vem är"/"Who is the", up to "för/i/vid/of/at …" or the
# end ("Vem är ordförande i styrgruppen?", "Who is the regional development director at …?"),
# each of "vd eller chef"; "Who chairs …?" asks for one too. Not "Vem är tänkt att leda
# arbetet?", "Vem är först ut?" or "Vem blir påverkad av beslutet?": no role. The Swedish
# material names an English role in Swedish; an English role not listed here ("head":
# "förbundschef" heads Kommunförbundet, not the platform) asks for a name only, as before.
_ROLE_WORDS = re.compile(
    r"(?P<role>[\w-]+(?:\s+[\w-]+){0,2}?)(?=\s+(?:för|i|på|vid|hos|inom|av|till|med|från|efter|"
    r"of|at|for|in|on|within|by|with|from)\b|\s*[?,.;]|\s*$)",
    re.I,
)
# words that make the phrase no role: "att", "ut"; a participle ("påverkad", "utsedd", "vald")
_NO_ROLE_WORD = re.compile(
    r"^(att|som|ut|inte|först|sist|kvar|to|that|who|first|last|not|\w+(ad|ade|dd|ld))$", re.I
)
_ROLE_VERB = re.compile(r"^\W*(?:and\s+)?who\s+(?P<role>chairs)\b", re.I)
_ENGLISH_ROLES = {
    "ceo": r"\bvd\b|verkställande direktör",
    "chair": "ordförande",
    "chairs": "ordförande",
    "chairman": "ordförande",
    "chairwoman": "ordförande",
    "chairperson": "ordförande",
    "president": r"ordförande|\bvd\b",
    "director": "direktör",
    "leader": r"\bledare\b",
    "secretary": "sekreterare",
    "coordinator": "samordnare|koordinator|processledare",
    "spokesperson": "talesperson",
}
_ALTERNATIVES = re.compile(r"\s+(?:eller|och|or|and)\s+", re.I)


def _asked_roles(question: str) -> list[re.Pattern[str]]:
    """The roles a "Vem är vd …?" / "Who is the CEO of …?" / "Who chairs …?" question asks
    about, as patterns one of which the answering sentence must match. A Swedish role by its
    stem ("ordförande" matches "ordföranden"); one of more than four letters may end a
    compound ("direktör" in "utvecklingsdirektör"), a shorter one stands alone ("vd", "chef":
    "förbundschef" is no answer to "Vem är chef för plattformen?"). An English one by its
    Swedish names. [] when the question asks about no role, or about an English role not
    listed, or by "Vilka personer …?"/"kontaktperson" (``_PEOPLE_QUESTION``: the person is
    the answer, not a role)."""
    if _PEOPLE_QUESTION.search(question):
        return []
    verb = _ROLE_VERB.search(question)
    if verb:
        return [re.compile(_ENGLISH_ROLES[verb.group("role").casefold()], re.I)]
    asked = _ROLE_QUESTION.search(question)
    phrase = (
        _ROLE_WORDS.match(question, asked.start("sv") if asked.group("sv") else asked.end())
        if asked
        else None
    )
    if phrase is None:
        return []
    roles = []
    for alternative in _ALTERNATIVES.split(phrase.group("role")):
        words = alternative.split()
        if not words or any(_NO_ROLE_WORD.match(word) for word in words):
            return []
        if asked.group("en") is not None:
            named = [_ENGLISH_ROLES[word.casefold()] for word in words if word.casefold() in _ENGLISH_ROLES]
            if not named:
                return []
            roles.append(re.compile(named[-1], re.I))
        else:
            head = words[-1]
            stem = re.escape(head[: max(4, len(head) - 2)])
            roles.append(re.compile(stem if len(head) > 4 else rf"\b{stem}", re.I))
    return roles


# Two capitalised words in a row name a person ("Magnus Aspegren") unless they belong to a
# body's name: "Region Jämtland Härjedalen", "Samling Näringsliv", "Kommunförbundet Jämtland
# Härjedalen", "Handelskammaren Mittsverige" hold a word that ends in a kind of body, or follow one
# ("Förbundschefen Martin Söderström" names a person: a chief is no body).
_NAME_PAIR = re.compile(r"(?=\b([A-ZÅÄÖÉ][a-zåäöéü-]+) ([A-ZÅÄÖÉ][a-zåäöéü-]+)\b)")
_BODY_WORD = re.compile(
    r"(region|kommun|landsting|styrelse|universitet|högskola|förbund|kammare|kammar|näringsliv|verk|myndighet|"
    r"grupp|bolag|stiftelse|akademi|institut|departement|råd|nämnd|center|centrum|förening|parti|företag|bank|"
    r"county|council|university|municipality|chamber|agency|board|group)(en|n|et|s|ens|ets|er|erna|ar|arna)?$",
    re.I,
)
_WORD_BEFORE = re.compile(r"([^\W\d_][\w-]*)\s*$")


# Words that open a sentence with a capital and name no one ("Enligt Tillväxtmotorn",
# "Från Krokom och Härjedalen"), and prepositions of location, after which two capitalised
# words name a place ("i Jämtland Härjedalen"); not "till" or "från", after which a person
# is as likely ("skickas till Magnus Aspegren", "hälsningar från Anna Svensson").
_NOT_A_FIRST_NAME = re.compile(
    r"(enligt|från|för|inom|med|utan|under|efter|före|inför|genom|mellan|mot|hos|till|vid|av|om|"
    r"i|på|när|då|sedan|även|också|både|samt|och|eller|men|den|det|de|en|ett|denna|detta|dessa|"
    r"according|from|for|in|on|at|with|by|the|and|or|but|when|then|also)$",
    re.I,
)
_PLACE_PREPOSITION = re.compile(r"(i|inom|runt|kring|utanför|in|across|around|throughout)$", re.I)


def _names_person(text: str) -> bool:
    """Whether ``text`` holds a personal name: two capitalised words in a row, neither naming
    a kind of body nor opening the sentence as a function word ("Enligt Tillväxtmotorn"),
    not after a capitalised word naming a body ("Region Jämtland Härjedalen") nor a
    preposition of place ("i Jämtland Härjedalen")."""
    for match in _NAME_PAIR.finditer(text):
        first, second = match.group(1), match.group(2)
        before = _WORD_BEFORE.search(text[: match.start()])
        before_word = before.group(1) if before else ""
        if _NOT_A_FIRST_NAME.match(first) or _PLACE_PREPOSITION.match(before_word):
            continue
        body_before = before_word[:1].isupper() and _BODY_WORD.search(before_word)
        if not (_BODY_WORD.search(first) or _BODY_WORD.search(second) or body_before):
            return True
    return False


_WORDS = re.compile(r"[^\W\d_][\w-]*")
_OPENING_WORDS = {
    "Den",
    "Det",
    "Därefter",
    "Sedan",
    "När",
    "Men",
    "Även",
    "En",
    "Ett",
    "Man",
    "Han",
    "Hon",
    "Hen",
    "Then",
    "When",
}


def _holds_name(text: str) -> bool:
    words = _WORDS.findall(text)
    if not words:
        return False
    first = words[0]
    definite = first[0].isupper() and first not in _OPENING_WORDS and first.endswith(("n", "et", "s"))
    return definite or any(len(word) > 2 and word[0].isupper() for word in words[1:])


# A body named by its kind in the definite form, as the one who acts: right after the
# auxiliary or verb that the subject follows in Swedish word order ("Enligt avsnitt 5 ska
# plattformen … förhandla och möta investerare" answers "Vem ska förhandla med
# investerarna?"), not after a preposition ("Budgeten för plattformen är …"). A sentence that
# opens with the body ("Styrgruppen utser …") is a name already (``_holds_name``).
_BODY_DEFINITE = re.compile(
    r"\b(ska|skall|har|hade|kommer att|bör|kan|får|måste|behöver|blir|är|var|fattar|utser|leder)\s+"
    r"\w*(plattform|grupp|styrelse|kommun|region|myndighet|förbund|organisation)"
    r"(en|et|n|erna|arna|na|rna)\b",
    re.I,
)


def _holds_actor(text: str) -> bool:
    """A name (``_holds_name``), or a body named by its kind in the definite form
    ("plattformen", "styrgruppen", "kommunerna"): what "Vem ...?" may be answered with."""
    return _holds_name(text) or bool(_BODY_DEFINITE.search(text))


# Someone named by what they do: an agent noun ("-are", "-ör", "-ist", "-iker", "-man") right
# after "en" or in the definite singular: "En hovmästare är arbetsledare för
# serveringspersonalen", "… sköts ofta av en kyrkogårdsvaktmästare", "Rekryteraren väljer ut
# …", "en IT-tekniker". An approximation: some nouns for things pass too ("en mätare").
_ROLE_NOUN = re.compile(
    r"\b(?i:en)\s+(?P<indefinite>[\w-]{2,}(?:are|ör|ist|iker|man))\b"
    r"|\b(?P<definite>[\w-]{3,}(?:aren|ören|isten|ikern|mannen))\b"
)
# Words of those endings that name no one: comparatives ("en viktigare roll", "en tidigare
# version"), verbs ("utgör", "genomför"), "brist", "frist", "sommaren", "kammaren".
_NOT_A_ROLE_NOUN = re.compile(
    r"\w*(ig|iv|sam|bar|ell|isk)are|ytterligare|(tidig|sen|vid|närm|snabb|enkl|säkr|lätt|svår|dyr"
    r"|bred|djup|stark|svag|kort|tyd)are|\w*(gör|för|hör|rör|stör|brist|frist|mmar)(en)?",
    re.I,
)


def _names_role(text: str, asked: str) -> bool:
    """Whether ``text`` names someone by what they do (``_ROLE_NOUN``) in a word that the
    question ``asked`` (case-folded) does not hold: "En stuntman ersätter filmskådespelare …"
    answers "Vem ersätter filmskådespelare …?"; "filmskådespelare" would not. A word counts as
    held when its letters but the last two (at least four) are in the question, so an agent
    noun of the question's own verb is none ("Vem samordnar …?" – "en samordnare").
    (SweQUAD-MC train: "Vem"-questions answered by an occupation were declined or given a
    sentence with a capitalised word.)"""
    for match in _ROLE_NOUN.finditer(text):
        word = (match.group("indefinite") or match.group("definite")).casefold()
        if _NOT_A_ROLE_NOUN.fullmatch(word):
            continue
        base = word[:-2] if match.group("definite") else word
        if base[: max(4, len(base) - 2)] not in asked:
            return True
    return False


# No price at all answers a question about a fee ("Hjälpen är kostnadsfri för företagen"),
# not one about what something costs or needs ("Hur mycket pengar behöver plattformen?").
_FREE = re.compile(r"\b(gratis|kostnadsfri\w*|avgiftsfri\w*|utan (kostnad|avgift)|free of charge)\b", re.I)


def _holds_quantity(text: str, unit: str | None) -> bool:
    """A figure that is not a year, a day ("15 september": "Hur stor är budgeten?" is not
    answered by a date) or a reference ("avsnitt 8"), followed closely by the counted thing
    when one is named; for a fee (``_FEE_QUESTION``), also that there is none ("kostnadsfri")."""
    if unit == "avgift" and _FREE.search(text):
        return True
    days = [day.span() for day in _DAY.finditer(text)]
    for match in _NUMBER.finditer(text):
        if (
            _YEAR.match(match.group(0).strip())
            or _REFERENCE.search(text[: match.start()])
            or any(start <= match.start() < end for start, end in days)
        ):
            continue
        if unit is None:
            return True
        following = text[match.end() : match.end() + 30].casefold()
        if unit[:5].casefold() in following or (_MONEY.match(unit) and _CURRENCY.search(following)):
            return True
        if _PERSONS.match(unit) and _PERSONS_AFTER.match(following):  # "12 anställda" are people
            return True
        if _DURATION.search(unit) and _DURATION_UNIT.match(following):
            return True
    return False


# "När ...?", "Sedan när ...?" (spoken "Sen när"), "Hur länge ...?", "Vilken månad ...?" ask for a time, which
# the material gives as a date, a month or a year, a season or a step ("efter beslut", "i
# förberedelsefasen"); "Vilket år/datum ...?" (``_DATE_QUESTION``) asks for the date itself
# (``can_answer``) and for a time as well.
_WHEN_QUESTION = re.compile(
    r"^\W*(och\s+)?(när|sedan när|sen när|hur länge|when|since when|how long)\b|"
    r"\b(vilken (månad|vecka|tidpunkt)|which month|what month)\b",
    re.I,
)
# A step that dates what follows it ("efter beslut", "innan sammanträdet", "förberedelsefasen").
_STEP = r"beslut\w*|starten|sammanträde\w*|mötet|workshop\w*|\w+fasen\w*|undertecknande\w*"
# How often, which answers "När har gruppen möten?" as well as "Hur ofta …?": "fyra gånger
# per år", "en gång i månaden", "varje vecka", "årligen" (not "400 000 kronor per år").
_PERIOD = r"år(et)?|månad(en)?|vecka(n)?|kvartal(et)?|halvår(et)?|termin(en)?"
_FREQUENCY = (
    rf"gång(er)?\s+(per|i|om|varje)\s+({_PERIOD})|(varje|varannan|vartannat)\s+({_PERIOD})|"
    r"årligen|månadsvis|veckovis|kvartalsvis|dagligen"
)
# A time of day or week, and "round the clock": "på förmiddagarna", "helgdagar", "på tisdagar",
# "klockan sju", "dygnet runt".
_DAYTIME = (
    r"(för|efter)middag(en|ar|arna)?|kväll(en|ar|arna)?|natten|nätter(na)?|morgn(ar|arna)|helg(en|er|erna)"
    r"|helgdag(ar|arna)?|(mån|tis|ons|tors|fre|lör|sön)dag(en|ar|arna)?"
    rf"|vardagar(na)?|dygnet runt|året runt|kl(ockan|\.)?\s*(\d{{1,2}}|halv|kvart|{_NUMBER_WORDS})\b"
)
_TIME = re.compile(
    rf"{_DAY.pattern}|"
    rf"\b({_MONTHS}|våren|hösten|sommaren|vintern|vecka\s+\d+|kvartal\w*|\w+fasens?|{_FREQUENCY}|{_DAYTIME}|"
    rf"(efter|innan|före|sedan|till|från)\s+(\w+\s+)?({_STEP}|{_MONTHS}|\d{{4}}))\b"
    # a year, not an amount: "2027", not "2000 arbetstillfällen" or "1950 kronor"
    r"|\b(1[89]|20)\d\d\b(?!\s*(kr\b|kronor|sek\b|st\b|%|procent|personer|anställda|arbets\w+|timmar))",
    re.I,
)


# "När det står att plattformen ska främja investeringar, vad går det ut på?", "When the
# platform starts, who …?": "när"/"when" followed by its subject opens a clause, and the
# question comes after it (a direct question puts the verb second: "När ska …?", "When will …?").
_WHEN_CLAUSE = re.compile(
    r"^\W*(och\s+|and\s+)?(när\s+(det|man|vi|jag|ni|de|dom|du|han|hon|hen|den)"
    r"|when\s+(the|it|we|you|they|i|he|she|a|an|this|that|our|my))\b"
    r"[^?]*?[,–—:-]\s*(och\s+)?(?=(vad|vem|vilk\w*|hur|varför|var|what|who|which|how|why|where)\b)",
    re.I,
)


def asks_when(question: str) -> bool:
    """Whether the question asks when something happens or happened. After a clause opened
    by "när" and its subject ("När det står att …, vad …?", ``_WHEN_CLAUSE``) only the
    question that follows counts: "När vi har fått beslutet, hur länge dröjer det?" asks when,
    "När det står att …, vad går det ut på?" does not."""
    clause = _WHEN_CLAUSE.search(question)
    asked = question[clause.end() :] if clause else question
    return bool(_WHEN_QUESTION.search(asked) or _DATE_QUESTION.search(asked))


# The case in which something holds, which answers a "När …?" as often as a date does ("När
# måste du meddela din nya adress?": "Om du flyttar måste du …"; "När körs maskinen i ett
# sluttest?": "… när monteringen är klar"): a subordinate clause opened by "om", "när",
# "innan" … with its subject and a finite verb. "Om" is also "about" and "whether": a noun
# subject after it counts only where the clause opens the sentence or follows a comma ("Beslut
# om budgeten fattas …", "Styrgruppen beslutar om projektet ska fortsätta" are none), and never
# after a word that takes "om" as its object ("frågar om du har", "beslut om", "oklart om").
# "När det gäller X" and "när det kommer till X" mean "as for X".
_LETTERS = r"[^\W\d_]"
# A pronoun, or a possessive and its noun ("om din ansökan har …"), is a subject wherever it stands.
_PERSON_SUBJECT = (
    r"du|man|ni|vi|jag|han|hon|hen|de|dom|det|den|någon|något"
    rf"|(din|ditt|dina|er|ert|era|vår|vårt|våra|hans|hennes|deras)\s+{_LETTERS}+"
)
_NOUN_SUBJECT = rf"(en|ett|{_LETTERS}+s)\s+{_LETTERS}+|{_LETTERS}+(en|et|na|arna|erna|orna)"
_NOT_A_VERB = (
    r"under|efter|eller|över|per|enligt|inför|bakom|mellan|utan|sedan|samt|eftersom|vilket|vilken"
    r"|vilka|andra|bara|också|gäller"
)
_FINITE = (
    rf"(?!({_NOT_A_VERB})\b)(är|har|\w+(ar|er|ir|or|ur|yr|år|s|de|te|dde|tt)"
    r"|ska|skall|kan|vill|måste|bör|fick|var|blev|kom|gick|fanns)"
)
_CONDITION = re.compile(
    r"(?P<opener>\b(om|ifall|när|innan|förrän|medan|tills|efter att|så snart|så länge|i samband med att))\s+"
    rf"(?!det\s+(gäller|kommer\s+till)\b)((?P<person>{_PERSON_SUBJECT})|(?P<noun>{_NOUN_SUBJECT}))\s+"
    rf"((inte|redan|också|bara|själv|ännu|fortfarande)\s+)?{_FINITE}\b",
    re.I,
)
# Words that take "om" as their object: a question, a decision, a request is "om" something.
_TAKES_OM = re.compile(
    r"\b(beslut\w*|fråg\w*|undr\w*|information|ansökan|ansöker|begäran|begär|avtal\w*|överenskommelse\w*"
    r"|diskussion\w*|diskuter\w*|rapport\w*|uppgift\w*|ställning till|avgör\w*|pröva\w*|bedöm\w*"
    r"|utred\w*|undersök\w*|oklart|osäkert|vet|veta|visste|kontroller\w*|kolla\w*|tveksamt|se efter)"
    r"\s*$",
    re.I,
)
_CLAUSE_START = re.compile(r"(^|[,;:–—(])\s*$")


def _is_condition(text: str, clause: re.Match[str]) -> bool:
    """Whether the clause found by ``_CONDITION`` in ``text`` says in which case, read with
    the words before it (see above)."""
    if clause.group("opener").casefold() != "om":
        return True
    before = text[: clause.start()]
    if _TAKES_OM.search(before):
        return False
    return clause.group("person") is not None or bool(_CLAUSE_START.search(before))


_WHEN_CASE_QUESTION = re.compile(r"^\W*(och\s+)?när\b", re.I)
_NEGATION = re.compile(r"\b(inte|ej|icke|aldrig|ingen|inget|inga|slipper|undantag\w*)\b", re.I)


def holds_condition(text: str, question: str) -> bool:
    """Whether the sentence says in which case something holds, for a ``question`` whose
    asked part (after a "När det står …," clause, ``_WHEN_CLAUSE``) opens with "När" (not
    "Sedan när", "Hur länge", "Vilken månad", which want a time): a clause opened by "om",
    "när", "innan" … with its subject and verb ("om du flyttar", "när monteringen är klar";
    ``_CONDITION``). A question asking when something does not hold ("När kan du inte få
    resebidrag?") needs a sentence that negates as well: "Familjemedlemmar kan få resebidrag
    om …" gives the opposite case."""
    clause = _WHEN_CLAUSE.search(question)
    asked = question[clause.end() :] if clause else question
    if not _WHEN_CASE_QUESTION.search(asked):
        return False
    if not any(_is_condition(text, match) for match in _CONDITION.finditer(text)):
        return False
    return not _NEGATION.search(asked) or bool(_NEGATION.search(text))


# How long: "i sex månader", "14 dagar", which answers "Hur länge …?", not "När …?".
_LENGTH = re.compile(rf"\b(\d+|{_NUMBER_WORDS}|en|ett)\s+(timm(e|ar)|dagar|veckor|månader|år)\b", re.I)
_HOW_LONG = re.compile(r"\b(hur länge|how long)\b", re.I)


def holds_time(text: str, question: str = "") -> bool:
    """Whether the sentence says when: a day, a month, a year, a season, a week or quarter,
    how often ("fyra gånger per år"), or a time relative to a step ("efter beslut", "i samband
    med starten av förberedelsefasen"); for a ``question`` that asks how long ("Hur länge
    …?") also a length ("i sex månader")."""
    return bool(_TIME.search(text) or (_HOW_LONG.search(question) and _LENGTH.search(text)))


# "Vad kostar ...?" asks for an amount of money as surely as "Hur mycket kostar ...?"; so do
# "Vad är budgeten?", "What's the yearly budget for …?", "What is the platform's annual
# cost?": the budget right after the copula, a determiner, a possessive or an adjective of
# amount (not "Vad ska budgeten användas till?", "Vad är syftet med budgeten?").
# A price for a service, asked yes/no or with "vad": "Tar plattformen betalt?", "Kostar det
# något?", "Finns det en avgift?", "Is there a fee?", "Does the platform charge companies?";
# not after another question word ("Var tar butikssäljaren betalt?" asks where, "Vem betalar
# avgiften?" who), nor "in charge of", "take charge". That there is none answers it.
_FEE_QUESTION = re.compile(
    r"^\W*(och\s+)?(?!(vem|vilk\w*|var|vart|när|varför|hur|who|which|where|when|why|how)\b)[^?]*?"
    r"(\b(tar|ta|tog|tas) [^?]{0,40}?\bbetalt\b|\bkostar (det|den|de|tjänsten|hjälpen) (något|nåt|pengar)\b|"
    r"\b(avgift|avgifter|avgiften|avgiftsbelagd|avgiftsfri|gratis|kostnadsfri|kostnadsfritt)\b|"
    r"\b(fees?|free of charge)\b|(?<!in )(?<!take )(?<!takes )(?<!took )\b(charges?|charging)\b(?!\s+of\b))",
    re.I,
)
_COST_QUESTION = re.compile(
    r"\b(vad (kostar|kostade|kommer \w+ att kosta)|"
    # the price, not the time it took ("Hur mycket kostade den i arbetstid?")
    r"hur mycket (kostar|kostade|kommer [^?]{1,60}? att kosta)\b(?![^?]*\b(arbetstid|tid|timmar)\b)|"
    # "cost" the verb: not "cost sharing", "cost overruns", "cost-benefit", "cost in hours"
    r"(what|how much) (does|did|do|will|would) [^?,]{1,60}? cost"
    r"(?!\w|-|\s+(sharing|overruns?|benefits?|savings?|in (time|hours|working hours)))|"
    r"(vad är|vad blir|vilken är|what is|what[’']s|what will be) "
    r"(the |den |dess |its |our |vår |[\w-]+[’']?s ){0,2}"
    r"((yearly|annual|total|overall|estimated|planned|årliga|totala|samlade|planerade|beräknade) )?"
    r"(budget(en)?|årsbudget(en)?|kostnad(en|erna)?|costs?))\b",
    re.I,
)


def _asked_kind(question: str) -> tuple[str, str | None] | None:
    """("quantity", its unit or None) / ("date", None) (a year or a day) / ("day", None) (the
    day itself) / ("contact", None) / ("place", None) / ("people", None) (persons by name) /
    ("person", None) (a person or a body) / ("members", None) (who sits in a group: persons or
    bodies), or None when the wording asks for no particular kind of thing."""
    if _FEE_QUESTION.search(question):
        return "quantity", "avgift"
    if _COST_QUESTION.search(question):
        return "quantity", "kostnad"
    quantity = None if _PROGRESS.search(question) else _QUANTITY.search(question)
    if quantity:
        unit = quantity.group(1)
        if quantity.group(0).casefold().startswith("how"):  # the Swedish text names it in Swedish
            return "quantity", _ENGLISH_UNITS.get((unit or "").casefold())
        not_a_unit = (
            unit is None
            or unit.casefold() in _NOT_A_UNIT
            or (len(unit) > 4 and bool(_PAST_OR_PASSIVE.search(unit)))
        )
        return "quantity", None if not_a_unit else unit
    if _DAY_QUESTION.search(question):
        return "day", None
    if _DATE_QUESTION.search(question):
        return "date", None
    if _CONTACT_QUESTION.search(question):
        return "contact", None
    if _PLACE_QUESTION.search(question):
        return "place", None
    if _PEOPLE_QUESTION.search(question) or _ROLE_QUESTION.search(question):
        return "people", None
    if _MEMBERS_QUESTION.search(question):  # before "who": "Who will sit on …?" asks for members
        return "members", None
    if _PERSON_QUESTION.search(question):
        return "person", None
    return None


_WHICH_QUESTION = re.compile(
    rf"\b(vilka|which|räkna upp|lista|nämn)\b|\b(what|hur många|how many) (\w+ )?({_ACTORS})\b", re.I
)


def asks_who(question: str) -> bool:
    """Whether the question asks who (a person, a body, a group's members), which ones or how
    many of them, or asks to list them ("Vilka deltog?", "What organisations …?", "Räkna upp
    …"): the subjects of like sentences are then its answer, each one."""
    asked = _asked_kind(question)
    return bool(_WHICH_QUESTION.search(question)) or (
        asked is not None and asked[0] in ("person", "people", "members")
    )


def asks_detail(question: str) -> bool:
    """Whether the question asks for a quantity, a date or day, a contact detail or a place: a
    detail that answers only about what its own sentence is about (a person's name answers a
    "Vem" question in a sentence that shares no word with it; "i Jämtland Härjedalen" does not
    say where the office is)."""
    asked = _asked_kind(question)
    return asked is not None and asked[0] in ("quantity", "date", "day", "contact", "place")


def kind_test(question: str) -> Callable[[str], bool] | None:
    """The test whether a sentence holds what the question asks for, when it asks for a
    quantity, date or day, contact detail, place, person or a group's members; None otherwise.
    Parse the question once and test many sentences with it."""
    asked = _asked_kind(question)
    if asked is None:
        return None
    kind, unit = asked
    asked_text = question.casefold()
    roles = _asked_roles(question)
    if roles and kind in ("person", "people"):
        # a role is held by a person named: "Styrgruppen utser en ordförande" names no one
        return lambda text: _names_person(text) and any(role.search(text) for role in roles)
    return {
        "quantity": lambda text: _holds_quantity(text, unit),
        "date": lambda text: bool(_DATE.search(text)),
        "day": lambda text: bool(_DAY.search(text)),
        "contact": lambda text: bool(_CONTACT.search(text)),
        "place": lambda text: bool(_PLACE.search(text)),
        "person": lambda text: _holds_actor(text) or _names_role(text, asked_text),
        "members": _holds_name,
        "people": _names_person,
    }[kind]


def can_answer(question: str, quoted: list[str]) -> bool:
    """False when the question asks for a quantity, date or day, contact detail, place, person or a
    group's members and no quoted sentence holds one."""
    holds = kind_test(question)
    return holds is None or any(holds(text) for text in quoted)


# The nouns in the wording of ``_asked_kind``'s questions that name the kind of answer, and
# per kind the wording they stand in (none for an amount's unit, which ``_asked_kind`` gives).
_KIND_NOUN = re.compile(
    rf"år|datum(et)?|dag(en)?|year|date|day|{_ACTORS}|personer?|person|kontaktperson(en|er|erna)?|"
    r"telefon\w*|nummer|e-?post\w*|mejl\w*|mail\w*|adress\w*|kontaktuppgift\w*|phone|e-?mail|address",
    re.I,
)
_KIND_QUESTION = {
    "day": _DAY_QUESTION,
    "date": _DATE_QUESTION,
    "contact": _CONTACT_QUESTION,
    "people": _PEOPLE_QUESTION,
    "members": _MEMBERS_QUESTION,
}


# "Vilken konsultbyrå …?", "Vilka metoder …?", "Hur många workshoptillfällen …?": the word
# right after the question word names the thing asked for an instance or a count of.
_ASKED_NOUN = re.compile(r"\b(?:vilken|vilket|vilka|hur många)\s+([^\W\d_][\w-]*)", re.I)


def asked_noun(question: str) -> str | None:
    """The noun, as written, that a Swedish "vilken/vilket/vilka/hur många" question asks for
    an instance or a count of: "konsultbyrå" in "Vilken konsultbyrå ledde workshoparna?",
    "workshoptillfällen" in "Hur många workshoptillfällen hölls?". None when the question has
    no such phrase. Only the next word is read: "Vilka tre uppdrag …?" gives "tre"."""
    match = _ASKED_NOUN.search(question)
    return match.group(1) if match else None


# Values the asker offers to choose between: "… – 2026 eller 2027?", "10 or 14 hours?".
_OFFERED = re.compile(r"\b(\d+)\s*(?:,\s*\d+\s*)*(?:eller|or)\s+(\d+)\b", re.I)


def kind_words(question: str) -> list[str]:
    """The question's words, as written, that name the kind of thing it asks for rather
    than what it is about: "år" in "Vilket år ska verksamhetsplanen gälla för?",
    "organisationer" in "Vilka organisationer var med i workshopserien?", "timmar" in "Hur
    många timmar …?", "telefonnummer"; and the values it offers to choose between, which are
    candidate answers ("2026", "2027" in "Vilket år är januarisammanträdet – 2026 eller
    2027?"). A "not stated" sentence that shares only these with the question ("Vilket år
    sammanträdet hålls anges inte") is about another thing of that kind; a sentence naming
    an organisation answers "Vilka organisationer …?" without the word, and "strategi …
    för 2027" is not about the January meeting. [] when the wording asks for no particular
    kind, or for "vem" (no such word)."""
    asked = _asked_kind(question)
    if asked is None:
        return []
    kind, unit = asked
    pattern = _KIND_QUESTION.get(kind)
    spans = [match.span() for match in pattern.finditer(question)] if pattern is not None else []
    named = [
        word.group(0)
        for word in _WORDS.finditer(question)
        if word.group(0) == unit
        or (
            _KIND_NOUN.fullmatch(word.group(0))
            and any(start < word.end() and word.start() < end for start, end in spans)
        )
    ]
    offered = [value for match in _OFFERED.finditer(question) for value in re.findall(r"\d+", match.group(0))]
    return named + offered


# Words with which the material says the time of something is not stated.
_WHEN_WORDS = r"datum|tidpunkt|\bnär\b|\bdag\b"

# The words with which the material says that kind of thing is not stated ("Belopp och
# fördelning ... anges inte", "Datum för beslutet anges inte", "Kontaktuppgifter anges
# inte", "Vilka som sitter i styrgruppen anges inte").
_KIND_WORDS = {
    "quantity": re.compile(r"belopp|budget|kostnad|finansier|pengar|medel|kronor|summa|antal|storlek", re.I),
    "date": re.compile(rf"{_WHEN_WORDS}|\bår\b", re.I),
    "contact": re.compile(r"kontakt|telefon|e-?post|mejl|adress", re.I),
    "place": re.compile(r"\bvar\b|plats|kontor|lokal|adress|\bort\b|placer|lokaliser|säte", re.I),
    # "Vem ska jag skicka investeraren till?": "kontaktvägar för investerare ... inte beslutade"
    "person": re.compile(r"\bvem\b|\bvilka\b|namn|\bpersoner?\b|kontaktperson|kontaktväg", re.I),
    # who sits in a group: its make-up, not who decides about it ("Vem bestämmer vilka …?")
    "members": re.compile(r"sammansättning|ledamöter|medlemmar|deltagare|\bvilka som\b", re.I),
}
_KIND_WORDS["people"] = re.compile(f"{_KIND_WORDS['person'].pattern}|{_KIND_WORDS['members'].pattern}", re.I)
_KIND_WORDS["day"] = _KIND_WORDS["date"]


def names_asked_kind(question: str, sentence: str) -> bool:
    """Whether ``sentence`` (the material's "... anges inte") is about the kind of thing the
    question asks for: "Hur mycket pengar ...?" and "Belopp och fördelning ... anges inte",
    not "Datum för beslutet anges inte". A counted unit named in the question counts too
    ("Hur många anställda ...?" and "Antalet anställda anges inte")."""
    asked = _asked_kind(question)
    if asked is None:
        return False
    kind, unit = asked
    if unit and not _MONEY.match(unit):
        stem = re.escape(unit[: max(4, len(unit) - 2)])
        if re.search(rf"\b{stem}", sentence, re.I):
            return True
    return bool(_KIND_WORDS[kind].search(sentence))


def absence_off_kind(question: str, sentence: str) -> bool:
    """Whether ``sentence`` (the material's "... anges inte") says that something other than
    what the question asks for is not stated: the question asks for a kind of thing (a person,
    an amount, a date …, ``kind_test``) or when, and the sentence names neither that kind nor a
    time. "Vem utser referensgruppen?" and "Referensgruppens sammansättning anges inte";
    not "Vilka ska sitta i referensgruppen?" with the same sentence, and never a question that
    asks for no particular kind ("Är det bestämt vilken organisationsform …?")."""
    if asks_when(question):
        return not names_time(sentence)
    return _asked_kind(question) is not None and not names_asked_kind(question, sentence)


_TIME_WORDS = re.compile(rf"{_WHEN_WORDS}|vilket år|vilken månad|tidplan", re.I)


def names_time(sentence: str) -> bool:
    """Whether ``sentence`` (the material's "... anges inte") is about when: "Datum för
    beslutet anges inte", "Vilket år sammanträdet hålls anges inte"; not "Beloppet per år
    anges inte"."""
    return bool(_TIME_WORDS.search(sentence))
