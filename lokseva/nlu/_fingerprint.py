"""Cache invalidation for our components.

Rasa caches the output of every training node under a key made of the
component's class source and config. Our components delegate to functions in
other modules (text.py, ...), so a change there would not invalidate the cache
and a stale featurisation could be reused. Every component adds a hash of this
package's source, and of the shared text modules it reads through
(lokseva/text.py, lokseva/references.py), to its fingerprint.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
SHARED_SOURCES = (PACKAGE_DIR.parent / "text.py", PACKAGE_DIR.parent / "references.py")


@functools.lru_cache(maxsize=None)
def package_source_hash() -> str:
    digest = hashlib.sha256()
    for path in [*sorted(PACKAGE_DIR.glob("*.py")), *SHARED_SOURCES]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class SourceFingerprintMixin:
    """Adds the package source hash to a graph component's cache key."""

    @classmethod
    def fingerprint_addon(cls, config):  # noqa: D102 (GraphComponent API)
        return package_source_hash()
