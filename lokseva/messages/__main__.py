"""`python -m lokseva.messages [capability]`: checks the catalogue, then prints
each text of `capability` (every capability without one) in all languages side
by side, for a translator or a district officer to read."""

from __future__ import annotations

import sys

from lokseva.messages import read_catalogue


def main(argv: list[str]) -> int:
    catalogue, problems = read_catalogue()
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    prefix = argv[0] if argv else ""
    for key in catalogue.keys(prefix):
        print(f"── {key}")
        for lang in catalogue.languages:
            value = catalogue.texts[lang].get(key)
            shown = " | ".join(value) if isinstance(value, tuple) else (value or "(missing)")
            print(f"  [{lang}] " + shown.replace("\n", "\n       "))
    print(
        f"{len(catalogue.keys(prefix))} texts in {', '.join(catalogue.languages)}; {len(problems)} problem(s)",
        file=sys.stderr,
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
