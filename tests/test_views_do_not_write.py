"""Issue 9: views parse a form and call one service; no view writes a model itself."""

import ast
from pathlib import Path

import bpd

WRITES = {"save", "create", "update", "delete", "bulk_create", "get_or_create", "update_or_create"}
ROOT = Path(bpd.__file__).parent


def view_modules():
    yield from ROOT.glob("*/views.py")
    yield from ROOT.glob("*/views/*.py")


def writes_in(path, base=ROOT.parent):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        if call and node.func.attr in WRITES:
            yield f"{path.relative_to(base)}:{node.lineno} .{node.func.attr}("


def test_scan_finds_view_modules():
    names = {str(p.relative_to(ROOT)) for p in view_modules()}
    assert {"members/views.py", "fund/views/money.py"} <= names


def test_no_view_writes_a_model_directly():
    found = [write for path in view_modules() for write in writes_in(path)]
    assert found == [], "Move these writes into a service function:\n" + "\n".join(found)


def test_scan_catches_a_planted_write(tmp_path):
    planted = tmp_path / "views.py"
    planted.write_text("def v(request):\n    request.user.profile.save()\n")
    assert list(writes_in(planted, tmp_path)) == ["views.py:2 .save("]
