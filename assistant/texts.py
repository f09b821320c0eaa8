"""What the assistant says to users in its own words (not quoted from the material), in one
place: the abstention phrase, the notices of the generative writer, and its errors."""

from __future__ import annotations

ABSTAIN_SV = "Det framgår inte av materialet."
ABSTAIN_EN = "The material does not say."

NOTICE_FAILED = "Språkmodellen kunde inte svara ({reason}); svaret nedan är citerat direkt ur källorna."
NOTICE_UNSUPPORTED = (
    "Det genererade svaret kunde inte beläggas i källorna; svaret nedan är citerat direkt ur källorna."
)
NOTICE_REMOVED = "{count} mening(ar) togs bort ur svaret eftersom de inte kunde beläggas i källorna."

EMPTY_QUESTION = "Frågan är tom: skriv en fråga med ord, t.ex. ”Vilka tre uppdrag har plattformen?”"

NEEDS_LANGUAGE_MODEL = "Det generativa svaret kräver en språkmodell: sätt ASSISTANT_LLM_BASE_URL."


def abstention_phrase(language: str) -> str:
    """The fixed phrase for "the material does not answer this", in the question's language
    ("en" or anything else for Swedish)."""
    return ABSTAIN_EN if language == "en" else ABSTAIN_SV
