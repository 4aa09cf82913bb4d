import datetime as dt
from types import SimpleNamespace

import pytest

from lokseva.applications.lifecycle import FINAL, REISSUABLE, TRANSITIONS, InvalidTransition, Status, transition


def app(status):
    return SimpleNamespace(status=status.value if status else None)


HAPPY_PATH = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.FEE_PENDING,
    Status.PAID,
    Status.UNDER_REVIEW,
    Status.MORE_INFO_NEEDED,
    Status.UNDER_REVIEW,
    Status.APPROVED,
    Status.CERTIFICATE_ISSUED,
    Status.DELIVERED,
]


def test_the_whole_happy_path_is_allowed_and_each_step_gives_a_history_entry():
    application = app(None)
    at = dt.datetime(2026, 3, 15, 10, tzinfo=dt.timezone.utc)
    previous = None
    for target in HAPPY_PATH:
        change = transition(application, target, by="staff:7", reason="test", at=at)
        assert (change.from_status, change.to_status) == (previous, target)
        assert change.changed_by == "staff:7" and change.changed_at == at and change.reason == "test"
        assert application.status == target.value
        previous = target


@pytest.mark.parametrize(
    "current, target",
    [
        (Status.DRAFT, Status.APPROVED),
        (Status.FEE_PENDING, Status.UNDER_REVIEW),
        (Status.SUBMITTED, Status.PAID),
        (Status.REJECTED, Status.UNDER_REVIEW),
        (Status.DELIVERED, Status.DRAFT),
        (Status.APPROVED, Status.REJECTED),
        (None, Status.SUBMITTED),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_error(current, target):
    application = app(current)
    with pytest.raises(InvalidTransition, match=f"cannot go from {current or 'nothing'} to {target}"):
        transition(application, target, by="system")
    assert application.status == (current.value if current else None), "nothing changed"


def test_every_status_is_in_the_machine_and_final_ones_have_no_way_out():
    assert set(TRANSITIONS) == set(Status)
    # Delivered is not final: a revoked certificate can still be re-issued.
    assert {Status.REJECTED} == FINAL


@pytest.mark.parametrize("current", [Status.CERTIFICATE_ISSUED, Status.DELIVERED])
def test_a_certificate_can_be_reissued_from_issued_or_delivered(current):
    application = app(current)
    change = transition(
        application,
        Status.CERTIFICATE_ISSUED,
        by="staff:7",
        reason="certificate JBA-C-2026-000002; re-issued in place of JBA-C-2026-000001: name misspelt",
    )
    assert (change.from_status, change.to_status) == (current, Status.CERTIFICATE_ISSUED)
    assert application.status == "certificate_issued"
    assert current in REISSUABLE


@pytest.mark.parametrize(
    "current",
    [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.FEE_PENDING,
        Status.PAID,
        Status.UNDER_REVIEW,
        Status.MORE_INFO_NEEDED,
        Status.REJECTED,
    ],
)
def test_a_certificate_cannot_be_reissued_before_one_was_issued_or_after_rejection(current):
    application = app(current)
    with pytest.raises(InvalidTransition, match=f"cannot go from {current} to certificate_issued"):
        transition(application, Status.CERTIFICATE_ISSUED, by="staff:7")
    assert application.status == current.value
    assert current not in REISSUABLE


def test_a_change_must_say_who_made_it():
    with pytest.raises(ValueError, match="who"):
        transition(app(Status.DRAFT), Status.SUBMITTED, by="")
