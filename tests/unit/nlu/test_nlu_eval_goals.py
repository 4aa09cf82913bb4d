"""bench/nlu_eval.py: the goals table of issue #18 and the Hinglish-TOP test split
reader, without training anything."""

import subprocess

from bench.nlu_eval import CHATTER_DEC, HELDOUT_DEC, HINGLISH_TOP_TEST, ROOT, hinglish_top_examples, print_goals


def result(intent=0.975, chatter=0.96, p50=8.0, seconds=120.0):
    return {
        "intent_accuracy": intent,
        "macro_f1": 0.985,
        "off_topic_rejection": chatter,
        "new_intents_accuracy": 0.95,
        "scheme": {"accuracy": 0.93},
        "district": {"accuracy": 0.91},
        "in_scope_fallback_rate": 0.02,
        "latency_ms": {"p50": p50},
        "training_seconds": seconds,
    }


def test_goals_compare_ours_and_stock_on_the_set_each_is_defined_on(capsys):
    reports = [
        {
            "evaluated_on": str(HELDOUT_DEC.relative_to(ROOT)),
            "results": {"ours": result(), "stock": result(intent=0.93, p50=12.0, seconds=900.0)},
        },
        {
            "evaluated_on": str(CHATTER_DEC.relative_to(ROOT)),
            "results": {"ours": result(chatter=0.94), "stock": result(chatter=0.80)},
        },
    ]
    rows = {r["figure"]: r for r in print_goals(reports)}
    assert rows["intent accuracy"]["met"] is True and rows["intent accuracy"]["stock"] == 0.93
    # the chatter goal reads the chatter set, not the first one
    assert rows["everyday chatter rejected"]["ours"] == 0.94 and rows["everyday chatter rejected"]["met"] is False
    assert rows["parse p50 (ms)"]["met"] is True and rows["training time (s)"]["met"] is True
    assert rows["in-scope fallback rate"]["goal"] is None and rows["in-scope fallback rate"]["met"] is None
    assert "NO" in capsys.readouterr().out


def test_goals_skip_a_set_that_was_not_scored():
    rows = print_goals([{"evaluated_on": str(CHATTER_DEC.relative_to(ROOT)), "results": {"ours": result()}}])
    assert [r["figure"] for r in rows] == ["everyday chatter rejected"]
    assert rows[0]["stock"] is None


def test_hinglish_top_test_split_is_read_from_a_git_mirror_as_out_of_scope(tmp_path):
    work = tmp_path / "work"
    (work / "Dataset" / "Human Annotated Data").mkdir(parents=True)
    (work / HINGLISH_TOP_TEST).write_text(
        "en_query\tcs_query\ten_parse\tcs_parse\tdomain\n"
        "set an alarm\t7 baje  ka alarm lagao\t[IN:X]\t[IN:X]\talarm\n"
        "play music\tkuch music bajao\t[IN:Y]\t[IN:Y]\tmusic\n"
        "play music\tkuch music bajao\t[IN:Y]\t[IN:Y]\tmusic\n"
        "broken line\n",
        encoding="utf-8",
    )
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], check=True)
    examples = hinglish_top_examples(work / ".git", limit=0)
    assert sorted(examples) == [("7 baje ka alarm lagao", "out_of_scope", []), ("kuch music bajao", "out_of_scope", [])]
    assert len(hinglish_top_examples(work / ".git", limit=1)) == 1
