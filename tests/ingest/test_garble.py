from ingest.garble import drop_garbled_lines, is_garbled_line

# Verbatim from page 7 of the real prop_1999-2000_17 PDF (broken font encoding).
GARBLED = "QlUPDVW\x03 HIWHU\x03 GHW\x03 nU\x03 Gn\x03 ODJHQ"


def test_broken_font_encoding_is_detected_and_good_swedish_is_kept() -> None:
    assert is_garbled_line(GARBLED)
    assert is_garbled_line("QlUPDVW HIWHU GHW nU Gn ODJHQ WUlGHU")  # same, spaces intact
    assert not is_garbled_line("Denna lag träder i kraft den dag regeringen bestämmer.")
    assert not is_garbled_line("Prop. 1999/2000:17 EU-rätt och SOU 2026:14")
    text, dropped = drop_garbled_lines(f"Prop. 1999/2000:17\n{GARBLED}\nLagen gäller från 1 januari.")
    assert dropped == 1
    assert text == "Prop. 1999/2000:17\nLagen gäller från 1 januari."
