"""The QR code's modules, with the mask chosen as ISO/IEC 18004 asks (lowest
penalty) but computed with numpy.

The `qrcode` package chooses the mask by building the whole symbol eight times
and scoring each in pure Python: 10-12 ms, an eighth of a certificate. The data
bits do not depend on the mask, so we build once, unmask, and score the eight
variants as arrays; the result is the symbol `qrcode` itself would make
(tests/unit/test_certificate_qr.py compares both on many inputs).
"""

from __future__ import annotations

import functools
from typing import Tuple

import numpy as np
import qrcode
import qrcode.constants
from qrcode import main as qrcode_main

ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
_P1 = np.array([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=bool)  # finder-like, light after
_P2 = _P1[::-1].copy()  # light before


@functools.lru_cache(maxsize=None)
def _masks(n: int) -> np.ndarray:
    """The eight mask patterns (i: row, j: column) for an n x n symbol."""
    i, j = np.indices((n, n))
    return np.stack(
        [
            (i + j) % 2 == 0,
            i % 2 == 0,
            j % 3 == 0,
            (i + j) % 3 == 0,
            (i // 2 + j // 3) % 2 == 0,
            (i * j) % 2 + (i * j) % 3 == 0,
            ((i * j) % 2 + (i * j) % 3) % 2 == 0,
            ((i * j) % 3 + (i + j) % 2) % 2 == 0,
        ]
    )


def _runs_penalty(m: np.ndarray) -> int:
    """N1: each run of 5+ same-coloured modules in a row or column scores length - 2."""
    n = m.shape[0]
    total = 0
    for lines in (m, m.T):
        # One long line, rows separated by a value that is neither colour.
        flat = np.concatenate([lines.astype(np.int8), np.full((n, 1), 2, np.int8)], axis=1).ravel()
        starts = np.flatnonzero(np.concatenate(([True], flat[1:] != flat[:-1])))
        lengths = np.diff(np.append(starts, flat.size))
        total += int((lengths[lengths >= 5] - 2).sum())
    return total


def _penalty(m: np.ndarray) -> int:
    n = m.shape[0]
    blocks = (m[:-1, :-1] == m[:-1, 1:]) & (m[:-1, :-1] == m[1:, :-1]) & (m[:-1, :-1] == m[1:, 1:])
    finders = 0
    for lines in (m, m.T):
        windows = np.lib.stride_tricks.sliding_window_view(lines, 11, axis=1)
        finders += int(((windows == _P1).all(axis=2) | (windows == _P2).all(axis=2)).sum())
    # N4 exactly as qrcode computes it (float percentage, 5% steps).
    rating = int(abs(float(m.sum()) / (n * n) * 100 - 50) / 5)
    return _runs_penalty(m) + 3 * int(blocks.sum()) + 40 * finders + rating * 10


def best_mask(code: qrcode.QRCode) -> int:
    """The mask qrcode's best_mask_pattern() would choose, for a code whose
    version is fixed (make(fit=True) was not called yet with a mask)."""
    code.makeImpl(True, 0)  # test mode: format bits light, as when qrcode scores masks
    symbol = np.array(code.modules, dtype=bool)
    n = symbol.shape[0]
    # Function patterns: what makeImpl sets before placing the data.
    code.modules = qrcode_main.copy_2d_array(qrcode_main.precomputed_qr_blanks[code.version])
    code.setup_type_info(True, 0)
    if code.version >= 7:
        code.setup_type_number(True)
    function = np.array([[cell is not None for cell in row] for row in code.modules], dtype=bool)
    masks = _masks(n)
    data = symbol ^ (masks[0] & ~function)
    scores = [_penalty(np.where(function, symbol, data ^ masks[p])) for p in range(8)]
    return int(np.argmin(scores))  # the first of equals, as qrcode does


def qr_modules(text: str) -> Tuple[Tuple[bool, ...], ...]:
    """The QR code's dark modules, without the quiet zone (the page keeps one)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=0)
    code.add_data(text)
    code.best_fit()
    code.mask_pattern = best_mask(code)
    code.make(fit=False)
    return tuple(tuple(bool(m) for m in row) for row in code.modules)
