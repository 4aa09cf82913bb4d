"""The metrics that the benchmark and the quality gate share."""

from lokseva.nlu.evaluation import evaluate, unseen_examples


def svc(value, start, end):
    return {"entity": "service", "value": value, "start": start, "end": end}


def parse(intent, *entities):
    return {"intent": {"name": intent}, "entities": list(entities)}


EXAMPLES = [
    ("jati praman patra chahiye", "apply_service", [svc("caste_certificate", 0, 17)]),
    ("status batao", "check_status", []),
    ("gaana bajao", "out_of_scope", []),
    ("mausam kaisa hai", "out_of_scope", []),
]


def test_intent_figures_count_fallback_as_wrong_but_as_a_rejection():
    parses = [
        parse("apply_service", svc("caste_certificate", 0, 17)),
        parse("nlu_fallback"),
        parse("nlu_fallback"),
        parse("out_of_scope"),
    ]
    result = evaluate(EXAMPLES, parses, times=[3.0, 5.0, 4.0, 6.0])
    assert result["intent_accuracy"] == 0.5
    assert result["off_topic_rejection"] == 1.0
    assert result["in_scope_fallback_rate"] == 0.5
    assert result["latency_ms"]["p50"] == 4.5
    assert [e["text"] for e in result["errors"]] == ["status batao", "gaana bajao"]


def test_service_accuracy_compares_values_and_counts_overlaps_and_extras():
    parses = [
        # two extractors over one mention, and a second word read as a mention
        parse("apply_service", svc("caste_certificate", 0, 4), svc("caste_certificate", 0, 17)),
        parse("check_status", svc("income_certificate", 0, 6)),
        parse("out_of_scope"),
        parse("out_of_scope"),
    ]
    service = evaluate(EXAMPLES, parses, times=[])["service"]
    assert service["accuracy"] == 1.0 and service["span_exact"] == 0.0
    assert service["more_entities_than_mentions"] == 1 and service["overlapping"] == 1
    assert service["spurious"] == 1


def test_unseen_examples_drop_what_training_has_after_normalisation():
    heldout = [("हाँ", "affirm", []), ("ok bye", "goodbye", []), ("mera status", "check_status", [])]
    training = [("हां", "affirm", []), ("OK  bye!!", "goodbye", [])]
    assert [e[0] for e in unseen_examples(heldout, training)] == ["mera status"]


def test_new_intent_accuracy_and_district_entity():
    examples = [
        ("main indore se hoon", "choose_district", [{"entity": "district", "value": "indore", "start": 5, "end": 11}]),
        ("ladli behna kya hai", "ask_scheme_info", []),
        ("status batao", "check_status", []),
    ]
    parses = [
        parse("choose_district", {"entity": "district", "value": "indore", "start": 5, "end": 11}),
        parse("nlu_fallback"),
        parse("choose_district", {"entity": "district", "value": "dhar", "start": 0, "end": 4}),
    ]
    result = evaluate(examples, parses, times=[])
    assert result["new_intents_accuracy"] == 0.5 and result["new_intents_messages"] == 2
    assert result["district"]["accuracy"] == 1.0 and result["district"]["spurious"] == 1


def test_no_new_intent_message_gives_no_figure():
    assert evaluate(EXAMPLES[:1], [parse("apply_service")], times=[])["new_intents_accuracy"] is None
