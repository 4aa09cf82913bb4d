"""lokseva.fonts: the one place that finds Noto Sans Devanagari and sets it up for fpdf2."""

from fpdf import FPDF

from lokseva.fonts import FAMILY, static_fonts, use_devanagari, variable_font_path


def test_the_font_comes_from_the_package():
    assert variable_font_path().exists()
    assert "fontpkg_noto_sans_devanagari" in str(variable_font_path())


def test_static_instances_are_made_once_per_weight_and_not_variable():
    from fontTools.ttLib import TTFont

    fonts = static_fonts()
    assert set(fonts) == {"", "B"} and fonts[""] != fonts["B"]
    for path in fonts.values():
        assert "fvar" not in TTFont(path)  # static: fpdf2 shapes with the right advances
    assert TTFont(fonts["B"])["OS/2"].usWeightClass == 700


def test_use_devanagari_adds_the_styles_and_turns_shaping_on():
    pdf = FPDF()
    use_devanagari(pdf)
    assert pdf.text_shaping
    assert {font.fontkey for font in pdf.fonts.values()} == {FAMILY.lower(), FAMILY.lower() + "B"}

    regular_only = FPDF()
    use_devanagari(regular_only, bold=False)
    assert [font.fontkey for font in regular_only.fonts.values()] == [FAMILY.lower()]
