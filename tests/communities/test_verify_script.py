"""The stand-alone verification script (bpd/communities/verify_draw.py) against the
platform's own draw (bpd/communities/lottery.py): 1,000 random draws, each checked by
the script imported and run as a subprocess; any changed input fails verification."""

import ast
import copy
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from random import Random

import pytest

from bpd.communities import lottery, verify_draw

SCRIPT = Path(verify_draw.__file__)
CASES = 1000


def published(rng):
    """A draw as the platform publishes it (draw.json), from random inputs."""
    secret = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    source = rng.choice(["drand quicknet round %d", "Lotto of %d March", "Ghana ₵ draw %d"])
    source %= rng.randrange(1, 10**8)
    value = "".join(rng.choice("0123456789abcdef ,:é") for _ in range(rng.randrange(1, 70)))
    count = rng.choice([0, 1, 2, 3, 10, rng.randrange(1, 300)])
    numbers = rng.sample(range(1, 3 * count + 2), count)  # gaps: withdrawn entries
    rules = rng.randrange(0, 4)
    entries = [(number, rng.randrange(0, 1 << rules)) for number in numbers]
    seed = lottery.combined_seed(secret, source, value)
    rows = lottery.keyed(seed, entries)
    return {
        "algorithm": lottery.ALGORITHM,
        "tickets": rng.randrange(0, count + 3),
        "commitment": lottery.commit(secret),
        "secret": secret,
        "randomness_source": source,
        "randomness_value": value,
        "seed": seed.hex(),
        "entries": sorted(
            ({"number": n, "tier": t, "key": k} for t, k, n in rows), key=lambda e: e["number"]
        ),
        "ordering": [n for _t, _k, n in rows],
    }


def cases():
    rng = Random(20270314)
    return [published(rng) for _ in range(CASES)]


def run_script(path):
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(SCRIPT), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout


def test_the_script_reproduces_the_platform_for_a_thousand_random_draws(tmp_path):
    draws = cases()
    for data in draws:
        ok, problems, ordering, winners = verify_draw.verify(data)
        assert ok, problems
        assert ordering == data["ordering"]
        assert winners == data["ordering"][: data["tickets"]]
    paths = []
    for index, data in enumerate(draws):
        path = tmp_path / f"draw-{index}.json"
        path.write_text(json.dumps(data))
        paths.append(path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run_script, paths))
    failed = [(paths[i].name, out) for i, (code, out) in enumerate(results) if code != 0]
    assert not failed
    assert all(out.rstrip().endswith("verified") for _code, out in results)


def test_the_script_prints_the_winners(tmp_path):
    data = published(Random(1))
    data["tickets"] = 2
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(data))

    code, out = run_script(path)

    assert code == 0
    winners = ", ".join(str(n) for n in data["ordering"][:2])
    assert f"winners (in drawn order): {winners}" in out


def _base():
    rng = Random(99)
    while True:
        data = published(rng)
        tiers = {e["tier"] for e in data["entries"]}
        if len(data["entries"]) >= 10 and len(tiers) >= 2:
            return data


def _change_secret(data):
    data["secret"] = (
        "f" + data["secret"][1:] if data["secret"][0] != "f" else "e" + data["secret"][1:]
    )


def _change_secret_and_commitment(data):
    _change_secret(data)
    data["commitment"] = lottery.commit(data["secret"])


def _change_value(data):
    data["randomness_value"] += "0"


def _change_source(data):
    data["randomness_source"] += " "


def _change_tier(data):
    entry = next(e for e in data["entries"] if e["tier"] == 0)
    entry["tier"] = 5
    entry.pop("key")


def _drop_entry(data):
    data["entries"].pop(0)


def _add_entry(data):
    data["entries"].append({"number": 10**6, "tier": 0})


def _swap_order(data):
    data["ordering"][0], data["ordering"][1] = data["ordering"][1], data["ordering"][0]


def _change_key(data):
    data["entries"][0]["key"] = "0" * 64


def _change_algorithm(data):
    data["algorithm"] = "bpd-draw-v2"


def _duplicate_entry(data):
    data["entries"].append(dict(data["entries"][0]))


@pytest.mark.parametrize(
    "change",
    [
        _change_secret,
        _change_secret_and_commitment,
        _change_value,
        _change_source,
        _change_tier,
        _drop_entry,
        _add_entry,
        _swap_order,
        _change_key,
        _change_algorithm,
        _duplicate_entry,
    ],
)
def test_any_changed_input_fails_verification(change, tmp_path):
    data = _base()
    assert verify_draw.verify(data)[0]
    changed = copy.deepcopy(data)
    change(changed)
    # Recomputing the seed from changed inputs also changes the order itself.
    if change in (_change_secret_and_commitment, _change_value, _change_source, _change_tier):
        _s = changed
        seed = lottery.combined_seed(_s["secret"], _s["randomness_source"], _s["randomness_value"])
        entries = [(e["number"], e["tier"]) for e in _s["entries"]]
        assert lottery.order(seed, entries) != data["ordering"]

    ok, problems, _ordering, _winners = verify_draw.verify(changed)
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(changed))
    code, out = run_script(path)

    assert not ok
    assert problems
    assert code == 1
    assert "MISMATCH" in out
    assert "verified" not in out.splitlines()[-1]


def test_a_draw_not_yet_run_is_not_verified():
    data = _base()
    for name in ("secret", "randomness_value", "seed", "ordering"):
        data.pop(name)

    ok, problems, _o, _w = verify_draw.verify(data)

    assert not ok
    assert any("not been run" in problem for problem in problems)


@pytest.mark.parametrize("content", ["", "[1, 2]", '{"algorithm": "bpd-draw-v1"}', "{{{"])
def test_junk_files_fail_cleanly(content, tmp_path):
    path = tmp_path / "draw.json"
    path.write_text(content)

    code, _out = run_script(path)

    assert code == 1


def test_the_script_uses_the_standard_library_only():
    tree = ast.parse(SCRIPT.read_text())
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module.split(".")[0])
    assert modules <= sys.stdlib_module_names, modules - sys.stdlib_module_names


def test_the_script_runs_outside_the_project(tmp_path):
    """Copied anywhere, with nothing of the platform on its path."""
    copied = tmp_path / "verify_draw.py"
    copied.write_text(SCRIPT.read_text())
    data_path = tmp_path / "draw.json"
    data_path.write_text(json.dumps(_base()))

    result = subprocess.run(
        [sys.executable, "-I", str(copied), str(data_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
