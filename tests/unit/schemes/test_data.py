"""schemes.yml and complaints.yml: complete, sourced, current, and checked
when staff edit them (docs/schemes.md)."""

import datetime as dt
import re

import pytest
import yaml

from lokseva.clock import IST, now_utc
from lokseva.schemes import SCHEME_IDS, SCHEMES_FILE, SchemeDataError, load_complaints, load_schemes
from lokseva.schemes.service import facts_due_for_review
from lokseva.settings import ROOT


def test_one_entry_per_scheme_of_the_contract():
    assert set(load_schemes().schemes) == set(SCHEME_IDS)
    contract = (ROOT / "docs" / "nlu-contract.md").read_text(encoding="utf-8")
    row = next(line for line in contract.splitlines() if line.startswith("| scheme |"))
    assert all(scheme_id in row for scheme_id in SCHEME_IDS)


def test_no_fact_is_past_its_review_date():
    """A stale amount must not linger: staff re-check the fact at its source and
    move review_by (docs/schemes.md)."""
    today = now_utc().astimezone(IST).date()
    stale = [f"{scheme} {aspect}: review_by {fact.review_by}" for scheme, aspect, fact in facts_due_for_review(today)]
    assert stale == []


def test_the_review_check_finds_a_stale_fact():
    assert facts_due_for_review(dt.date(2099, 1, 1)), "every fact is due by 2099"


def test_every_scheme_says_what_it_gives_with_a_source_and_dates():
    for scheme in load_schemes().schemes.values():
        assert scheme.gives, scheme.id
        for aspect, fact in scheme.all_facts():
            assert fact.source.startswith("http"), (scheme.id, aspect)
            assert fact.as_of < fact.review_by, (scheme.id, aspect)
            assert fact.sure in ("confirmed", "partly")


def test_amounts_the_facts_file_confirms():
    schemes = load_schemes().schemes
    assert "₹1,500" in schemes["ladli_behna"].gives[0].hi
    assert "₹6,000" in schemes["pm_kisan"].gives[0].hi and "₹2,000" in schemes["pm_kisan"].gives[0].hi
    assert "₹12,000" in schemes["kisan_kalyan"].gives[0].hi
    for pension in ("old_age_pension", "widow_pension", "disability_pension"):
        assert "₹600" in schemes[pension].gives[0].hi
    assert "₹261" in schemes["rozgar_guarantee"].gives[0].hi
    assert "₹1.20 लाख" in schemes["pm_awas"].gives[0].hi
    assert "₹5 लाख" in schemes["ayushman"].gives[0].hi and "70 साल" in schemes["ayushman"].gives[1].hi


def test_what_the_facts_file_marks_unsure_is_never_stated_as_certain():
    schemes = load_schemes().schemes
    # PARTLY in docs/facts/scheme-facts.md
    assert not schemes["ladli_behna"].status[0].confirmed
    assert all(not f.confirmed for f in schemes["ladli_laxmi"].gives)
    assert not schemes["sambal"].eligibility[0].confirmed
    # UNCONFIRMED: left out
    text = yaml.safe_load(SCHEMES_FILE.read_text(encoding="utf-8"))
    flat = str(text)
    assert "1967" not in flat, "the MP ration helpline 1967 is unconfirmed"
    assert "1,43,000" not in flat and "1,18,000" not in flat, "Ladli Laxmi's total value is disputed"
    assert "18–60" not in flat and "18 से 60" not in flat, "Sambal's age band is unconfirmed"
    assert not re.search(r"अविवाहित|unmarried", flat), "unmarried women must not be told they are eligible"


def test_an_unconfirmed_fact_is_refused(tmp_path):
    data = yaml.safe_load(SCHEMES_FILE.read_text(encoding="utf-8"))
    data["schemes"]["ration"]["helpline"] = {
        "hi": "1967",
        "en": "1967",
        "sure": "unconfirmed",
        "source": "https://example.org",
        "as_of": "2026-01-01",
        "review_by": "2027-01-01",
    }
    path = tmp_path / "schemes.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemeDataError, match=r"schemes → ration → helpline .*UNCONFIRMED"):
        load_schemes(path)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["schemes"]["pm_kisan"]["gives"].pop("as_of"), r"pm_kisan → gives → 0 → as_of: field required"),
        (lambda d: d["schemes"]["pm_kisan"]["gives"].update(as_of="13/03/2026"), r"pm_kisan → gives → 0 → as_of"),
        (lambda d: d["schemes"]["sambal"].pop("gives"), r"sambal → gives: field required"),
        (lambda d: d["schemes"].pop("digilocker"), r"schemes missing: \['digilocker'\]"),
        (lambda d: d["schemes"]["ujjwala"].update(price="₹450"), r"ujjwala → price: extra fields not permitted"),
        (lambda d: d["schemes"]["ration"]["gives"].update(source="a news site"), r"ration → gives → 0 → source"),
        (lambda d: d["schemes"]["ration"]["gives"].update(review_by="2020-01-01"), r"review_by: must come after as_of"),
    ],
)
def test_a_broken_entry_names_the_scheme_and_field(tmp_path, change, message):
    data = yaml.safe_load(SCHEMES_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "schemes.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemeDataError, match=message):
        load_schemes(path)


def test_complaint_texts_load():
    texts = load_complaints()
    assert "181" in texts.helpline.hi and "181" in texts.helpline.en
    assert texts.checks, "the citizen's own checks when a scheme names none"
