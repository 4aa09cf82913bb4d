"""TextNormaliser + LokSevaTokenizer: clean tokens, original offsets."""

import unicodedata

from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.bilou_utils import bilou_tags_from_offsets

from lokseva.nlu.normaliser import TextNormaliser, get_normalised
from lokseva.nlu.tokenizer import LokSevaTokenizer
from tests.unit.nlu.conftest import entity, message, training_data


def tokenize(components, text):
    msg = message(text)
    components.create(TextNormaliser).process([msg])
    components.create(LokSevaTokenizer).process([msg])
    return msg, msg.get("text_tokens")


def test_tokens_are_normalised_but_offsets_are_original(components):
    text = "Hiiii सर!!! फ़ीस JBA-२०२६-०००१२३ ok👍"
    _, tokens = tokenize(components, text)
    assert [t.text for t in tokens] == ["hii", "सर", "फीस", "jba-2026-000123", "ok", "👍"]
    assert [text[t.start : t.end] for t in tokens] == ["Hiiii", "सर", "फ़ीस", "JBA-२०२६-०००१२३", "ok", "👍"]


def test_devanagari_words_stay_whole(components):
    _, tokens = tokenize(components, "आय प्रमाण-पत्र कैसे बनेगा।")
    assert [t.text for t in tokens] == ["आय", "प्रमाण-पत्र", "कैसे", "बनेगा"]


def test_only_punctuation_still_gives_a_token(components):
    _, tokens = tokenize(components, "???")
    assert [t.text for t in tokens] == ["???"]


def test_the_text_itself_is_not_rewritten(components):
    text = "JATI\u200d PRAMAN  patra!!"
    msg, _ = tokenize(components, text)
    assert msg.get("text") == text
    assert get_normalised(msg).text == "jati praman patra"


def test_entity_annotations_stay_aligned_when_normalisation_changes_length(components):
    # elongation, zero-width joiner and a decomposed nukta before the entity change
    # the length of the text; the annotation still maps onto whole tokens.
    text = (
        unicodedata.normalize("NFD", "helloooo\u200d sir ज़िला मेरा [आय प्रमाण पत्र] बनवाना है")
        .replace("[", "")
        .replace("]", "")
    )
    mention = "आय प्रमाण पत्र"
    data = training_data([(text, "apply_service", [entity(text, mention, "income_certificate")])])
    components.create(TextNormaliser).process_training_data(data)
    components.create(LokSevaTokenizer).process_training_data(data)
    example = data.training_examples[0]
    offsets = [(e["start"], e["end"], e["entity"]) for e in example.get("entities")]
    tags = bilou_tags_from_offsets(example.get("text_tokens"), offsets)
    tokens = [t.text for t in example.get("text_tokens")]
    assert tags[tokens.index("आय")] == "B-service"
    assert tags[tokens.index("पत्र")] == "L-service"
    # Rasa's own alignment check finds nothing to complain about
    EntityExtractorMixin.check_correct_entity_annotations(data)


def test_without_the_normaliser_the_tokenizer_normalises_itself(components):
    msg = message("STATUS batao JBA२०२६०००१२३")
    components.create(LokSevaTokenizer).process([msg])
    assert [t.text for t in msg.get("text_tokens")] == ["status", "batao", "jba2026000123"]


def test_a_stale_normalised_copy_is_ignored(components):
    msg = message("pehla text")
    components.create(TextNormaliser).process([msg])
    msg.set("text", "doosra text")
    components.create(LokSevaTokenizer).process([msg])
    assert [t.text for t in msg.get("text_tokens")] == ["doosra", "text"]
