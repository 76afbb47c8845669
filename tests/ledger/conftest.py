# The Fund's fixtures (a round in USD with an NGN rate, its reviewers, an event, an
# executor and a treasurer), for the tests of the Fund's move onto the ledger.
from tests.fund.conftest import (  # noqa: F401
    event,
    executor,
    fund_round,
    now,
    reviewers,
    treasurer,
)
