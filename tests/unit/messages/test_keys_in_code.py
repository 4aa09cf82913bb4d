"""Every message key the code names is in the catalogue: a mistyped key fails
here, not in a citizen's conversation."""

import ast
from pathlib import Path

import pytest

from lokseva.messages import load_catalogue, placeholders

ROOT = Path(__file__).resolve().parents[3]
RENDER = {"render", "render_from", "render_list", "both"}
# The modules' own shorthands: _t(key) / text(key) / <alias>.text(key) add a capability's prefix.
OWN = {
    "lokseva/applications/messaging.py": {"_t": "applications"},
    "lokseva/schemes/messaging.py": {"_t": "schemes"},
    "lokseva/appeals/messaging.py": {"_t": "appeals"},
    "lokseva/certificates/messaging.py": {"text": "certificates"},
    "lokseva/delivery/messaging.py": {"text": "delivery"},
    "lokseva/channels/messaging.py": {"text": "channels"},
    "lokseva/applications/district_choice.py": {"text": "applications.district"},
    "lokseva/certificates/flows.py": {"messaging.text": "certificates"},
    "lokseva/delivery/flows.py": {"messaging.text": "delivery", "certificate_texts.text": "certificates"},
    "lokseva/delivery/fees.py": {"messaging.text": "delivery"},
    "actions/certificates.py": {"certificate_texts.text": "certificates", "delivery_texts.text": "delivery"},
}


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return func.attr if isinstance(func, ast.Attribute) else ""


def _key(arg: ast.expr):
    """(the key or its fixed start, whether it is whole)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value, True
    if isinstance(arg, ast.JoinedStr):
        start = ""
        for part in arg.values:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                break
            start += part.value
        return start, False
    return None, False


def named_keys():
    for path in sorted([*ROOT.glob("lokseva/**/*.py"), *ROOT.glob("actions/*.py")]):
        relative = str(path.relative_to(ROOT))
        if relative.startswith("lokseva/messages/"):
            continue
        own = OWN.get(relative, {})
        tree = ast.parse(path.read_text(encoding="utf-8"))
        renders = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "lokseva.messages"
            for alias in node.names
            if alias.name in RENDER
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            callee = _callee(node)
            name = callee.rsplit(".", 1)[-1]
            if callee in own:
                prefix = own[callee] + "."
            elif callee in renders or (name in RENDER and callee.startswith("messages.")):
                prefix = ""
            else:
                continue
            key, whole = _key(node.args[0])
            if key is None:
                continue
            # the variables passed by name; None when some are passed as **mapping or as facts
            passed = (
                None
                if name == "render_from" or any(k.arg is None for k in node.keywords)
                else {k.arg for k in node.keywords}
            )
            yield f"{relative}:{node.lineno}", prefix + key, whole, passed


def test_the_code_names_keys_of_the_catalogue():
    catalogue = load_catalogue()
    found = list(named_keys())
    assert len(found) > 150, "the scan sees the calls"
    missing = [
        f"{where}: {key}{'' if whole else '…'}"
        for where, key, whole, _passed in found
        if not (catalogue.has(key) if whole else catalogue.keys(key.rstrip(".")) or catalogue.has(key))
    ]
    assert missing == []


def test_the_code_passes_the_variables_each_text_has():
    catalogue = load_catalogue()
    checked, wrong = 0, []
    for where, key, whole, passed in named_keys():
        if not whole or passed is None or not catalogue.has(key):
            continue
        value = catalogue.value(key, "hi")
        wanted = set().union(*(placeholders(v) for v in (value if isinstance(value, tuple) else (value,))))
        checked += 1
        if passed != wanted:
            wrong.append(f"{where}: {key} takes {sorted(wanted)}, is given {sorted(passed)}")
    assert checked > 100 and wrong == []


@pytest.mark.parametrize(
    "source, problem",
    [
        ('render("payments.no_such", "hi")', "payments.no_such"),
        ('render(f"payments.nope.{kind}", "hi")', "payments.nope."),
    ],
)
def test_the_scan_sees_a_mistyped_key(source, problem):
    call = ast.parse(source).body[0].value
    key, whole = _key(call.args[0])
    catalogue = load_catalogue()
    assert key == problem
    assert not (catalogue.has(key) if whole else catalogue.keys(key.rstrip(".")))


# Groups whose keys a call picks by a value (f"next_step.{status}"), where some keys of the group are
# picked by name instead, with other variables (next_step.pay takes the fee).
PICKED_BY_NAME_TOO = {"applications.next_step."}


def test_a_key_picked_by_a_value_takes_the_same_variables_in_its_whole_group():
    catalogue = load_catalogue()
    wrong = []
    for where, start, whole, passed in named_keys():
        if whole or passed is None or start.count(".") < 2 or start in PICKED_BY_NAME_TOO:
            continue
        group = [k for k in catalogue.keys(start.rstrip(".")) if k.count(".") == start.count(".")]
        assert group, start
        for key in group:
            value = catalogue.value(key, "hi")
            wanted = set().union(*(placeholders(v) for v in (value if isinstance(value, tuple) else (value,))))
            if wanted != passed:
                wrong.append(f"{where}: {key} takes {sorted(wanted)}, is given {sorted(passed)}")
    assert wrong == []
