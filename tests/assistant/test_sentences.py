"""Whole sentences and list items, never fragments, from presentation-style text."""

from assistant.sentences import split_units


def test_lines_broken_mid_sentence_are_joined_into_one_sentence() -> None:
    text = (
        "Sedan augusti har vi gemensamt tagit fram en tydlig riktning för hur investeringar ska bidra "
        "till lokal \nutveckling. Vi har kartlagt nuläget."
    )
    assert [u.text for u in split_units(text)] == [
        "Sedan augusti har vi gemensamt tagit fram en tydlig riktning för hur investeringar ska bidra "
        "till lokal utveckling.",
        "Vi har kartlagt nuläget.",
    ]


def test_a_line_ending_in_colon_introduces_the_items_below_it() -> None:
    text = (
        "Uppdrag:\nInvesteringsfrämjande – attrahera investeringar. \n"
        "Kompetensattraktion – stärka förmågan.\n\nSyfte: Öka kapaciteten."
    )
    units = split_units(text)
    assert [(u.text, u.introduces_list, u.is_item) for u in units] == [
        ("Uppdrag:", True, False),
        ("Investeringsfrämjande – attrahera investeringar.", False, True),
        ("Kompetensattraktion – stärka förmågan.", False, True),
        ("Syfte: Öka kapaciteten.", False, False),
    ]


def test_bullets_and_abbreviations() -> None:
    units = split_units("• Ta fram strategi, bl.a. mål och mätmetoder.\n• Besluta om organisationsform.")
    assert [u.text for u in units] == [
        "• Ta fram strategi, bl.a. mål och mätmetoder.",
        "• Besluta om organisationsform.",
    ]
    assert all(u.is_item for u in units)


def test_headings_are_not_sentences() -> None:
    assert [u.text for u in split_units("## 8. Vad som händer\n\nEn mening.")] == ["En mening."]
