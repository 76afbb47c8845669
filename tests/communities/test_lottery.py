"""The draw's pure functions (bpd/communities/lottery.py): exact bytes, determinism, tiers."""

import hashlib
import hmac
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpd.communities import lottery

ZERO = "00" * 32


def test_commitment_is_sha256_of_the_secret_bytes():
    secret = lottery.new_secret()

    assert len(secret) == 64
    assert lottery.commit(secret) == hashlib.sha256(bytes.fromhex(secret)).hexdigest()


@pytest.mark.parametrize("bad", ["", "00" * 31, "00" * 33])
def test_commitment_refuses_a_secret_of_the_wrong_length(bad):
    with pytest.raises(ValueError, match="64 hex digits"):
        lottery.commit(bad)


def test_the_seed_message_is_four_netstrings_in_order():
    """The exact bytes the docs and verify_draw.py describe (a fixed vector)."""
    message = lottery.seed_message(ZERO, "drand quicknet round 1", "abc")

    assert message == (b"11:bpd-draw-v1,64:" + b"0" * 64 + b",22:drand quicknet round 1,3:abc,")
    assert lottery.combined_seed(ZERO, "drand quicknet round 1", "abc").hex() == (
        "014c20cc0bfec159c0b1db57c44afb8c0422130133b4399fecdb793e0cb43647"
    )


def test_netstrings_count_bytes_not_characters():
    assert lottery.netstring("Ghana ₵") == b"9:" + "Ghana ₵".encode() + b","


def test_moving_text_between_fields_changes_the_seed():
    """Length prefixes: ("ab", "c") and ("a", "bc") never give the same message."""
    assert lottery.combined_seed(ZERO, "ab", "c") != lottery.combined_seed(ZERO, "a", "bc")
    assert lottery.combined_seed(ZERO, "a,", "b") != lottery.combined_seed(ZERO, "a", ",b")


def test_the_key_is_hmac_sha256_of_the_decimal_number():
    seed = lottery.combined_seed(ZERO, "s", "v")

    assert lottery.key(seed, 42) == hmac.new(seed, b"42", hashlib.sha256).hexdigest()


def test_keyed_gives_the_same_keys_as_key():
    seed = lottery.combined_seed(ZERO, "s", "v")
    rows = lottery.keyed(seed, [(n, n % 3) for n in range(1, 200)])

    assert all(key == lottery.key(seed, number) for _tier, key, number in rows)


def test_order_sorts_by_tier_then_key_then_number():
    seed = lottery.combined_seed(ZERO, "s", "v")
    entries = [(n, n % 2) for n in range(1, 50)]

    expected = sorted(entries, key=lambda e: (e[1], lottery.key(seed, e[0]), e[0]))
    assert lottery.order(seed, entries) == [n for n, _tier in expected]


@settings(max_examples=200, deadline=None)
@given(
    secret=st.binary(min_size=32, max_size=32),
    value=st.text(max_size=40),
    tiers=st.lists(st.integers(min_value=0, max_value=7), max_size=60),
)
def test_same_inputs_same_order_and_tiers_are_respected(secret, value, tiers):
    seed = lottery.combined_seed(secret.hex(), "source", value)
    entries = [(number, tier) for number, tier in enumerate(tiers, start=1)]

    ordering = lottery.order(seed, entries)

    assert ordering == lottery.order(seed, list(reversed(entries)))
    assert sorted(ordering) == [number for number, _tier in entries]
    tier_of = dict(entries)
    ranked_tiers = [tier_of[number] for number in ordering]
    assert ranked_tiers == sorted(ranked_tiers)  # every tier-0 entry before every tier-1 …


@pytest.mark.parametrize(
    "change",
    ["secret", "source", "value"],
)
def test_changing_an_input_changes_the_order(change):
    base = {"secret_hex": ZERO, "randomness_source": "drand round 9", "randomness_value": "ab"}
    changed = dict(base)
    changed[
        {"secret": "secret_hex", "source": "randomness_source", "value": "randomness_value"}[change]
    ] = {"secret": "01" + "00" * 31, "source": "drand round 10", "value": "ac"}[change]
    entries = [(n, 0) for n in range(1, 30)]

    assert lottery.order(lottery.combined_seed(**base), entries) != lottery.order(
        lottery.combined_seed(**changed), entries
    )


def test_a_hundred_thousand_entries_are_ordered_quickly():
    """The bench's target (< 1 s) with room to spare on a busy test machine."""
    import time

    seed = lottery.combined_seed(ZERO, "s", "v")
    rng = random.Random(7)
    entries = [(n, rng.randrange(4)) for n in range(1, 100_001)]
    started = time.perf_counter()
    ordering = lottery.order(seed, entries)
    assert len(ordering) == 100_000
    assert time.perf_counter() - started < 3


@pytest.mark.parametrize(
    ("met", "tier"),
    [
        ([], 0),
        ([True], 0),
        ([False], 1),
        ([True, True], 0),
        ([True, False], 1),
        ([False, True], 2),
        ([False, False], 3),
        ([True, True, False], 1),
        ([False, True, True], 4),
        ([False, False, False], 7),
    ],
)
def test_tiers_count_missed_rules_the_first_weighing_most(met, tier):
    assert lottery.tier_for(met) == tier


def test_tiers_explained_lists_each_tier_with_the_rules_met():
    assert lottery.tiers_explained(2) == [
        (0, [True, True]),
        (1, [True, False]),
        (2, [False, True]),
        (3, [False, False]),
    ]
    assert all(lottery.tier_for(met) == tier for tier, met in lottery.tiers_explained(3))
