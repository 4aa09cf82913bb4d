"""Noto Sans Devanagari for the PDFs (certificates, payment receipts) and the web
pages (staff portal, WhatsApp simulator): the one place that finds the font.

The PyPI package `fontpkg-noto-sans-devanagari` ships one *variable* font
(axes wght and wdth). fpdf2 can instance it (`add_font(variations=...)`), but
that costs about 1.4 s per style and per document, and fpdf2 then shapes text
with HarfBuzz on the original file, i.e. with the default (regular) advances,
so bold text comes out cramped. We therefore instance the two static styles
once, keep them under var/fonts/, and give fpdf2 ordinary static fonts.

The font also covers Basic Latin, digits and ₹, so English labels need no
second font.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Dict

from lokseva.settings import VAR_DIR

FAMILY = "NotoSansDevanagari"
# Style letter of fpdf2 -> (weight, width) of the variable font's axes.
STYLES = {"": (400, 100), "B": (700, 100)}
CACHE_DIR = VAR_DIR / "fonts"


class FontUnavailable(RuntimeError):
    """The Devanagari font package is missing or holds no usable font file."""


@functools.lru_cache(maxsize=1)
def variable_font_path() -> Path:
    """The .ttf inside the installed fontpkg-noto-sans-devanagari package, asked
    of the package (fontpkg) rather than a path written here."""
    try:
        import fontpkg

        return Path(fontpkg.path("noto-sans-devanagari", weight=400))
    except (ImportError, LookupError) as error:  # pragma: no cover - the lock installs it
        raise FontUnavailable(
            f"Noto Sans Devanagari not found: is fontpkg-noto-sans-devanagari installed (requirements.lock)? {error}"
        ) from error


def _instance(source: Path, weight: int, width: int, target: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(source)
    if "fvar" in font:
        instancer.instantiateVariableFont(font, {"wght": weight, "wdth": width}, inplace=True, static=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target, then renamed: several processes (action server,
    # web app, benchmark) may build the cache at the same time.
    handle, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        font.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@functools.lru_cache(maxsize=None)
def static_fonts(cache_dir: Path = CACHE_DIR) -> Dict[str, Path]:
    """Static font files per fpdf2 style ("" and "B"), built on first use."""
    source = variable_font_path()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:12]
    paths: Dict[str, Path] = {}
    for style, (weight, width) in STYLES.items():
        target = cache_dir / f"{FAMILY}-{digest}-w{weight}.ttf"
        if not target.exists():
            _instance(source, weight, width, target)
        paths[style] = target
    return paths


def use_devanagari(pdf, bold: bool = True) -> None:
    """Adds the font to an fpdf2 document as FAMILY (regular, and bold unless
    `bold` is False) and turns on HarfBuzz text shaping, without which conjuncts
    and matras come out as broken letters ("प्रमाण")."""
    for style, path in static_fonts().items():
        if style == "" or bold:
            pdf.add_font(FAMILY, style, str(path))
    for font in pdf.fonts.values():
        # The glyphs' bounding boxes are already right in the font file; recomputing
        # them makes fontTools decompile and recompile every embedded glyph, which
        # was a third of the time of a certificate.
        font.ttfont.recalcBBoxes = False
    pdf.set_text_shaping(True)
