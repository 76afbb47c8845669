"""Proposing which applications to fund: a 0/1 knapsack.

Maximise the total weighted review score of the funded applications, with
their total cost within the remaining budget.

Method: dynamic programming over cost (Bellman's exact algorithm for the 0/1
knapsack), vectorised with NumPy. When the budget has more than `resolution`
cost units, costs are rounded *up* to units of budget/resolution, so a proposal
can never exceed the budget, at the price of sometimes leaving a little money
unused. Optional country caps are enforced by repeatedly dropping the
lowest-scored chosen application of a country over its cap and solving again.
Every proposal carries an upper bound from the linear-programming relaxation
(Dantzig's fractional knapsack), so its distance from the true optimum is
known: `gap` is at most (bound - value) / bound.
"""

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

METHOD = (
    "0/1 knapsack solved by dynamic programming over cost (exact at the budget's resolution; "
    "costs rounded up), country caps by iterative exclusion, optimality gap certified by the "
    "LP-relaxation bound"
)


@dataclass(frozen=True)
class Candidate:
    key: object
    cost: int  # minor units, in the budget's currency
    value: float  # weighted review score
    country: str = ""


@dataclass(frozen=True)
class Proposal:
    chosen: tuple
    total_cost: int
    total_value: float
    upper_bound: float
    unit: int
    method: str = METHOD

    @property
    def gap(self):
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, (self.upper_bound - self.total_value) / self.upper_bound)


def lp_bound(candidates, budget):
    """The fractional-knapsack optimum: no 0/1 selection can score more."""
    bound, left = 0.0, budget
    free = [c for c in candidates if c.cost <= 0]
    bound += sum(c.value for c in free if c.value > 0)
    paid = sorted(
        (c for c in candidates if c.cost > 0 and c.value > 0),
        key=lambda c: c.value / c.cost,
        reverse=True,
    )
    for candidate in paid:
        if left <= 0:
            break
        take = min(1.0, left / candidate.cost)
        bound += take * candidate.value
        left -= take * candidate.cost
    return bound


def _knapsack(items, capacity):
    """Indices of `items` ((weight, value) pairs, integer weights) maximising value within capacity.

    The choice table is stored as packed bits (one bit per item and capacity), so
    5,000 items at 20,000 capacity units need 12.5 MB.
    """
    n = len(items)
    best = np.zeros(capacity + 1)
    keep = {}
    for i, (weight, value) in enumerate(items):
        if weight > capacity or value <= 0:
            continue
        taken = best[: capacity + 1 - weight] + value
        better = np.zeros(capacity + 1, dtype=bool)
        better[weight:] = taken > best[weight:]
        if not better.any():
            continue
        keep[i] = np.packbits(better)
        best = np.where(better, np.concatenate((np.zeros(weight), taken)), best)
    chosen, c = [], capacity
    for i in range(n - 1, -1, -1):
        row = keep.get(i)
        if row is not None and (row[c >> 3] >> (7 - (c & 7))) & 1:
            chosen.append(i)
            c -= items[i][0]
    return sorted(chosen)


def _fill(chosen, pool, budget):
    """Rounding costs up can leave money unused: add what still fits, best value per cost first."""
    left = budget - sum(c.cost for c in chosen)
    taken = {id(c) for c in chosen}
    extra = sorted(
        (c for c in pool if id(c) not in taken and c.value > 0),
        key=lambda c: c.value / max(c.cost, 1),
        reverse=True,
    )
    for candidate in extra:
        if candidate.cost <= left:
            chosen.append(candidate)
            left -= candidate.cost
    return chosen


def propose(candidates, budget, *, max_per_country=None, resolution=20000):
    """The best set of candidates whose costs fit `budget` (see the module docstring)."""
    candidates = [c for c in candidates if 0 <= c.cost <= budget]
    budget = max(0, int(budget))
    unit = max(1, math.ceil(budget / resolution))
    capacity = budget // unit
    pool = list(candidates)
    while True:
        items = [(math.ceil(c.cost / unit), c.value) for c in pool]
        chosen = [pool[i] for i in _knapsack(items, capacity)]
        if unit > 1:
            chosen = _fill(chosen, _within_caps(pool, chosen, max_per_country), budget)
        if not max_per_country:
            break
        counts = Counter(c.country for c in chosen if c.country)
        over = {country for country, count in counts.items() if count > max_per_country}
        if not over:
            break
        drop = set()
        for country in over:
            mine = sorted(
                (c for c in chosen if c.country == country), key=lambda c: (c.value, -c.cost)
            )
            drop.update(id(c) for c in mine[: len(mine) - max_per_country])
        pool = [c for c in pool if id(c) not in drop]
    return Proposal(
        chosen=tuple(c.key for c in chosen),
        total_cost=sum(c.cost for c in chosen),
        total_value=sum(c.value for c in chosen),
        upper_bound=lp_bound(candidates, budget),
        unit=unit,
    )


def _within_caps(pool, chosen, max_per_country):
    """Candidates that can still be added without breaking a country cap."""
    if not max_per_country:
        return pool
    counts = Counter(c.country for c in chosen if c.country)
    return [c for c in pool if not c.country or counts[c.country] < max_per_country]
