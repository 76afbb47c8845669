#!/usr/bin/env python3
"""Check a Black Python Devs sponsored-ticket draw yourself.

    python3 verify_draw.py draw.json

Download draw.json from the draw's public page (/communities/draws/<id>/draw.json). This
script needs Python 3.8 or newer and nothing else: it repeats the draw from the values
the platform published and says "verified" (exit code 0) or what does not match (exit
code 1).

The draw, "bpd-draw-v1" (after RFC 3797 and draft-thomson-elegy-vrs):

1. Before applications closed, the platform published the commitment: the SHA-256 hash
   of a secret of 32 random bytes, as 64 lowercase hex digits. It also named the public
   randomness it would use (e.g. a drand round that did not exist yet).
2. At the draw it revealed the secret (64 hex digits) and typed in the randomness value.
   seed = SHA-256 of the UTF-8 bytes of four netstrings, in this order: the algorithm
   name, the secret (lowercase hex), the randomness source, the randomness value. A
   netstring is "<length in bytes>:<text>," e.g. "11:bpd-draw-v1,".
3. Every entry's key = HMAC-SHA256(key=seed, message=the entry number in decimal ASCII).
4. Entries are sorted by (tier, key, number); tier 0 comes first. The first <tickets>
   entries were offered a ticket; a ticket declined or not confirmed in time went to
   the next entry in this order.

Checked here: the secret matches the commitment; the seed, every key and the whole
ordering are recomputed and compared with what was published.
"""

import hashlib
import hmac
import json
import sys

ALGORITHM = "bpd-draw-v1"


def netstring(text):
    raw = text.encode("utf-8")
    return str(len(raw)).encode("ascii") + b":" + raw + b","


def seed_for(secret_hex, source, value):
    message = b"".join(netstring(field) for field in (ALGORITHM, secret_hex, source, value))
    return hashlib.sha256(message).digest()


def ranked(seed, entries):
    """[(tier, key hex, number)] in drawn order."""
    rows = []
    for number, tier in entries:
        mac = hmac.new(seed, str(number).encode("ascii"), hashlib.sha256).hexdigest()
        rows.append((tier, mac, number))
    rows.sort()
    return rows


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def verify(data):
    """Check the published draw `data` (draw.json, parsed). Returns (ok, problems, ordering
    as recomputed, winners: the first `tickets` entries of that ordering, offered a ticket
    at the draw)."""
    problems = []
    if not isinstance(data, dict):
        return False, ["draw.json does not hold a JSON object"], [], []
    if data.get("algorithm") != ALGORITHM:
        found = data.get("algorithm")
        return False, [f"unknown algorithm {found!r} (this script checks {ALGORITHM})"], [], []
    for name in ("commitment", "secret", "randomness_source", "randomness_value"):
        if not isinstance(data.get(name), str) or not data.get(name):
            problems.append(f"{name} is missing: the draw has not been run yet?")
    if problems:
        return False, problems, [], []
    secret = data["secret"]
    try:
        secret_bytes = bytes.fromhex(secret)
    except ValueError:
        return False, ["the secret is not hex"], [], []
    if len(secret_bytes) != 32 or secret != secret.lower():
        problems.append("the secret is not 64 lowercase hex digits")
    if hashlib.sha256(secret_bytes).hexdigest() != data["commitment"]:
        problems.append("the secret does not match the commitment published before the draw")
    seed = seed_for(secret, data["randomness_source"], data["randomness_value"])
    if "seed" in data and data["seed"] != seed.hex():
        problems.append(f"the published seed is {data['seed']}, recomputed {seed.hex()}")
    tickets = data.get("tickets")
    if not _is_count(tickets):
        problems.append("tickets is not a whole number")
        tickets = 0
    entries, keys, seen = [], {}, set()
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        return False, [*problems, "entries is not a list"], [], []
    for item in raw_entries:
        number = item.get("number") if isinstance(item, dict) else None
        tier = item.get("tier") if isinstance(item, dict) else None
        if not _is_count(number) or number < 1 or not _is_count(tier):
            problems.append(f"an entry is not {{number, tier}} with whole numbers: {item!r}")
            continue
        if number in seen:
            problems.append(f"entry number {number} appears twice")
            continue
        seen.add(number)
        entries.append((number, tier))
        if "key" in item:
            keys[number] = item["key"]
    rows = ranked(seed, entries)
    ordering = [number for _tier, _key, number in rows]
    for _tier, mac, number in rows:
        if number in keys and keys[number] != mac:
            problems.append(f"the key of entry {number} is {keys[number]}, recomputed {mac}")
    published = data.get("ordering")
    if published != ordering:
        published = published if isinstance(published, list) else []
        pairs = zip(published, ordering)  # noqa: B905 (lengths may differ)
        first = next(
            (i for i, (a, b) in enumerate(pairs) if a != b), min(len(published), len(ordering))
        )
        problems.append(
            f"the published ordering differs from the recomputed one from place {first + 1}"
        )
    return not problems, problems, ordering, ordering[:tickets]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python3 verify_draw.py draw.json", file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"cannot read {argv[0]}: {error}", file=sys.stderr)
        return 1
    ok, problems, ordering, winners = verify(data)
    tickets = data.get("tickets") if isinstance(data, dict) else "?"
    print(f"entries: {len(ordering)}, tickets: {tickets}")
    print("winners (in drawn order): " + (", ".join(str(n) for n in winners) or "none"))
    print("(a ticket declined or not confirmed in time went to the next entry in this order)")
    if ok:
        print("verified")
        return 0
    for problem in problems:
        print("MISMATCH: " + problem)
    return 1


if __name__ == "__main__":
    sys.exit(main())
