import itertools
import random

import pytest

from bpd.fund.allocation import Candidate, lp_bound, propose


def brute_force(candidates, budget, max_per_country=None):
    best = 0.0
    for size in range(len(candidates) + 1):
        for combo in itertools.combinations(candidates, size):
            if sum(c.cost for c in combo) > budget:
                continue
            if max_per_country:
                counts = {}
                for c in combo:
                    counts[c.country] = counts.get(c.country, 0) + 1
                if any(n > max_per_country for n in counts.values()):
                    continue
            best = max(best, sum(c.value for c in combo))
    return best


def random_case(rng, n):
    return [
        Candidate(
            key=i,
            cost=rng.randint(1, 60),
            value=round(rng.uniform(1, 5), 2),
            country=rng.choice("ABC"),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(40))
def test_proposal_matches_brute_force_on_small_cases(seed):
    rng = random.Random(seed)
    candidates = random_case(rng, rng.randint(0, 11))
    budget = rng.randint(0, 200)

    proposal = propose(candidates, budget)

    assert proposal.total_cost <= budget
    assert proposal.total_value == pytest.approx(brute_force(candidates, budget))
    assert proposal.unit == 1


@pytest.mark.parametrize("seed", range(25))
def test_country_caps_are_respected_and_gap_is_certified(seed):
    rng = random.Random(1000 + seed)
    candidates = random_case(rng, rng.randint(1, 11))
    budget = rng.randint(20, 200)

    proposal = propose(candidates, budget, max_per_country=1)

    chosen = [c for c in candidates if c.key in proposal.chosen]
    assert sum(c.cost for c in chosen) <= budget
    assert max((sum(1 for c in chosen if c.country == k) for k in "ABC"), default=0) <= 1
    optimum = brute_force(candidates, budget, max_per_country=1)
    assert proposal.total_value <= optimum + 1e-9
    assert optimum <= proposal.upper_bound + 1e-9


def test_lp_bound_is_fractional_optimum():
    candidates = [Candidate("a", 10, 10), Candidate("b", 10, 5)]

    assert lp_bound(candidates, 15) == pytest.approx(12.5)


def test_large_budget_is_rounded_up_and_never_exceeded():
    rng = random.Random(7)
    candidates = [Candidate(i, rng.randint(50_000, 400_000), rng.uniform(1, 5)) for i in range(300)]

    proposal = propose(candidates, 5_000_000)

    assert proposal.unit > 1
    assert proposal.total_cost <= 5_000_000
    assert proposal.gap < 0.02


def test_items_costing_more_than_the_budget_are_never_chosen():
    proposal = propose([Candidate("big", 101, 5.0), Candidate("small", 50, 1.0)], 100)

    assert proposal.chosen == ("small",)


def test_five_thousand_applications_with_country_caps():
    rng = random.Random(3)
    candidates = [
        Candidate(i, rng.randint(80_000, 600_000), rng.uniform(1, 5), rng.choice("ABCDEFGH"))
        for i in range(5000)
    ]

    proposal = propose(candidates, 20_000_000, max_per_country=40)

    # Speed is measured in bench/ (timings do not belong in tests).
    chosen = [c for c in candidates if c.key in set(proposal.chosen)]
    assert proposal.total_cost <= 20_000_000
    assert max(sum(1 for c in chosen if c.country == k) for k in "ABCDEFGH") <= 40
    assert proposal.gap < 0.05
