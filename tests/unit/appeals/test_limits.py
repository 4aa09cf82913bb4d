"""The appeal limits data file: defaults, per service, per district, validated."""

import copy

import pytest

from lokseva.appeals.limits import FIRST, SECOND, LimitsDataError, load_limits, parse_limits
from lokseva.catalogue import load_catalogue

BASE = {
    "defaults": {
        "first_appeal": {
            "window_days": 30,
            "window_confirmed": True,
            "officer": {"hi": "एसडीएम", "en": "SDM"},
            "decide_days": 21,
            "decide_kind": "working",
            "confirmed": False,
        },
        "second_appeal": {
            "window_days": 60,
            "window_confirmed": False,
            "officer": {"hi": "कलेक्टर", "en": "Collector"},
            "decide_days": 30,
            "decide_kind": "working",
            "confirmed": False,
        },
    },
    "services": {"income_certificate": {}, "caste_certificate": {"first_appeal": {"officer": None}}},
    "districts": {"indore": {"income_certificate": {"first_appeal": {"decide_days": 15, "confirmed": True}}}},
}


def test_every_service_of_the_catalogue_has_valid_limits():
    limits = load_limits()
    for service in load_catalogue().services:
        first = limits.for_service(service.id).level(FIRST)
        assert first.window_days == 30 and first.window_confirmed
        assert limits.for_service(service.id).level(SECOND).window_confirmed is False  # 60 days: unconfirmed in MP


def test_a_district_overrides_a_service_value_and_keeps_the_rest():
    limits = parse_limits(BASE)
    indore = limits.for_service("income_certificate", "indore").first_appeal
    assert (indore.decide_days, indore.confirmed, indore.window_days) == (15, True, 30)
    assert limits.for_service("income_certificate", "jhabua").first_appeal.decide_days == 21


def test_an_unknown_officer_is_named_by_role():
    limits = parse_limits(BASE)
    caste = limits.for_service("caste_certificate").first_appeal
    assert caste.officer_name("hi", FIRST) == "प्रथम अपील अधिकारी"
    assert limits.for_service("income_certificate").first_appeal.officer_name("en", FIRST) == "SDM"


@pytest.mark.parametrize(
    "path, value, field",
    [
        (("defaults", "first_appeal", "decide_kind"), "weekdays", "decide_kind"),
        (("defaults", "first_appeal", "window_days"), 0, "window_days"),
        (("defaults", "second_appeal", "officer"), {"hi": "कलेक्टर"}, "en"),
    ],
)
def test_a_typo_is_refused_with_the_field_named(path, value, field):
    data = copy.deepcopy(BASE)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(LimitsDataError, match=field):
        parse_limits(data)


def test_an_unknown_service_is_refused():
    with pytest.raises(LimitsDataError, match="unknown service"):
        parse_limits({**BASE, "services": {"ration_card": {}}}, known_services={"income_certificate"})
