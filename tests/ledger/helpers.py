"""Pools and entries for the ledger's tests, made straight through the models."""

import itertools

from bpd.ledger.models import Pool, Programme

_keys = itertools.count(1)


def make_pool(*, budget=100_000, currency="USD", year=2027, programme=Programme.SPONSORSHIP,
              name=None):  # fmt: skip
    number = next(_keys)
    return Pool.objects.create(
        programme=programme, key=f"test:{number}", name=name or f"Test pool {number}",
        year=year, currency=currency, budget=budget,
    )  # fmt: skip
