"""The sponsored-ticket draw, "bpd-draw-v1": pure functions, no Django.

A draw anyone can check, after RFC 3797 (publish everything in advance, then derive the
result from public values through a canonical string) and draft-thomson-elegy-vrs
(one secret extracted into a seed, a keyed pseudorandom function per candidate, a full
order by sorting the outputs). The exact bytes, which `verify_draw.py` repeats with the
standard library alone:

1. **Commitment.** The platform draws a secret of 32 random bytes when the draw is
   published and publishes ``commitment = SHA-256(secret bytes)`` as 64 lowercase hex
   digits (the secret is stored and shown as 64 lowercase hex digits; the hash is of
   the 32 bytes, not of the hex text).
2. **Seed.** At the draw the secret is revealed and the value of the public randomness
   named in advance is typed in. ``seed = SHA-256(message)``, where ``message`` is the
   UTF-8 encoding of four netstrings, one per field, in this order: the algorithm name,
   the secret (lowercase hex), the randomness source, the randomness value. A netstring
   is ``<length in bytes, decimal>:<field>,`` so no two different inputs give the same
   message. E.g. ``11:bpd-draw-v1,64:<secret>,22:drand quicknet round 7,3:abc,``.
3. **Keys.** ``key(entry) = HMAC-SHA256(key=seed (32 bytes), message=the entry number
   in decimal ASCII, no leading zeros)``, as 64 lowercase hex digits.
4. **Order.** Entries sorted by ``(tier, key, number)``: tier 0 first, then the key's
   hex text ascending (the same as its bytes), the number breaking the (never seen) tie.
   The first N (the tickets) are offered; the rest wait in that order.

Tiers (`tier_for`): a draw lists its priority rules in order; an entrant's tier counts
the rules they miss, the first rule weighing most: ``tier = sum(2**(k-1-i) for each
rule i they do not meet)`` with k rules. Tier 0 meets every rule; with rules [A, B],
tier 1 meets A only, tier 2 meets B only, tier 3 neither.
"""

import hashlib
import hmac
import secrets

ALGORITHM = "bpd-draw-v1"
SECRET_BYTES = 32


def new_secret() -> str:
    """32 random bytes from the operating system, as 64 lowercase hex digits."""
    return secrets.token_hex(SECRET_BYTES)


def _secret_bytes(secret_hex: str) -> bytes:
    if len(secret_hex) != 2 * SECRET_BYTES:
        raise ValueError("the secret is 64 hex digits")
    return bytes.fromhex(secret_hex)


def commit(secret_hex: str) -> str:
    """The commitment published before the draw: SHA-256 of the secret's 32 bytes."""
    return hashlib.sha256(_secret_bytes(secret_hex)).hexdigest()


def netstring(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"%d:%s," % (len(raw), raw)


def seed_message(secret_hex: str, randomness_source: str, randomness_value: str) -> bytes:
    """The canonical bytes the seed is the hash of (step 2 above)."""
    _secret_bytes(secret_hex)
    fields = (ALGORITHM, secret_hex.lower(), randomness_source, randomness_value)
    return b"".join(netstring(field) for field in fields)


def combined_seed(secret_hex: str, randomness_source: str, randomness_value: str) -> bytes:
    """The draw's seed: SHA-256 of `seed_message` (32 bytes)."""
    return hashlib.sha256(seed_message(secret_hex, randomness_source, randomness_value)).digest()


def key(seed: bytes, entry_number: int) -> str:
    """An entry's key: HMAC-SHA256(seed, decimal entry number), 64 lowercase hex digits."""
    return hmac.digest(seed, b"%d" % entry_number, "sha256").hex()


def keyed(seed: bytes, entries) -> list[tuple[int, str, int]]:
    """[(tier, key, number)] for `entries` [(number, tier)], in drawn order. The HMAC
    state after the key is made once and copied per entry: the same HMAC, three times
    faster than keying it 100,000 times (bench/draw.py)."""
    keyed_state = hmac.new(seed, digestmod=hashlib.sha256)
    rows = []
    append = rows.append
    for number, tier in entries:
        mac = keyed_state.copy()
        mac.update(b"%d" % number)
        append((tier, mac.hexdigest(), number))
    rows.sort()
    return rows


def order(seed: bytes, entries) -> list[int]:
    """The entry numbers of `entries` [(number, tier)] in drawn order: by (tier, key,
    number). Numbers must be distinct positive integers, tiers non-negative."""
    return [number for _tier, _key, number in keyed(seed, entries)]


def tier_for(met: list[bool]) -> int:
    """The tier of an entrant who meets `met[i]` of the draw's i-th priority rule."""
    count = len(met)
    return sum(1 << (count - 1 - i) for i, ok in enumerate(met) if not ok)


def tiers_explained(count: int) -> list[tuple[int, list[bool]]]:
    """Every tier of a draw with `count` rules, and which rules an entrant in it meets."""
    return [
        (tier, [not (tier >> (count - 1 - i)) & 1 for i in range(count)])
        for tier in range(1 << count)
    ]
