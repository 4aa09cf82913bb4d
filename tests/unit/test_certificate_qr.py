"""Our fast mask choice gives exactly the symbol the qrcode package makes."""

import random
import string

import pytest
import qrcode

from lokseva.certificates.qr import ERROR_CORRECTION, qr_modules


def reference(text):
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=0)
    code.add_data(text)
    code.make(fit=True)  # builds and scores all eight masks in pure Python
    return tuple(tuple(bool(m) for m in row) for row in code.modules), code.mask_pattern


rng = random.Random(6)
TEXTS = (
    ["https://lokseva.example.gov.in/verify/JBA-C-2026-000123?s=nbIbF0yo5KA-7tshkMcj0A", "a", "प्रमाण पत्र"]
    + [
        "https://lokseva.example.gov.in/verify/JBA-C-2026-%06d?s=%s"
        % (rng.randrange(10**6), "".join(rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(22)))
        for _ in range(40)
    ]
    + ["".join(rng.choice(string.printable) for _ in range(rng.randrange(1, 400))) for _ in range(15)]
)


@pytest.mark.parametrize("text", TEXTS)
def test_same_symbol_as_qrcode(text):
    expected, _ = reference(text)
    assert qr_modules(text) == expected


def test_the_masks_chosen_vary():
    # The comparison above means something only if different inputs pick different masks.
    masks = set()
    for text in TEXTS:
        code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=0)
        code.add_data(text)
        code.make(fit=True)
        masks.add(code.best_mask_pattern())
    assert len(masks) >= 4
