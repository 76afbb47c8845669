"""The rule every published figure about people goes through, so that no one can be
singled out (docs/insights.md, "No one singled out").

A table is a tree of counts in which a parent is the sum of its children: the world,
its UN M49 regions, their sub-regions, their countries; or all members and their skill
levels. `publish(tree, rule)` decides, for every node, what may be shown:

- `SHOWN`: the count rounded to the rule's base (5 in public, so 17 reads 15);
- `SMALL`: a count from 1 to k - 1, shown as "fewer than k" (primary suppression);
- `HIDDEN`: a count kept back so that a small one cannot be worked out from the
  figures around it (secondary suppression): a count of k or more beside it, or, when
  nothing that large is left to hide (every count in a branch is small), a small one;
- `NONE`: nobody.

Secondary suppression is chosen by attacking the table the way a reader could: every
bound a reader can know (a shown count lies within its rounding interval, a small one
between 1 and k - 1, a hidden one at 1 or more, a parent is the sum of its children) is
propagated through the tree until nothing changes. While any small count is pinned to
one value, the smallest shown count beside it is hidden too, or its parent when nothing
beside it is left; when no shown count is left above it either, its small parent (or,
at the top, itself) is hidden. The tests attack the published tables again, exhaustively, with the
rule itself known (tests/insights/test_suppression.py).
"""

from dataclasses import dataclass, field

SHOWN, SMALL, HIDDEN, NONE = "shown", "small", "hidden", "none"

# Larger than any count of people; an upper bound a reader cannot narrow.
UNBOUNDED = 10**12


@dataclass(frozen=True)
class Rule:
    """k: the smallest group shown; base: what shown counts are rounded to."""

    k: int
    base: int = 1

    def __post_init__(self):
        if self.k < 2 or self.base < 1:
            raise ValueError("a rule needs k >= 2 and a base >= 1")

    def rounded(self, value):
        """`value` to the nearest multiple of the base, halves up (17 → 15, 18 → 20)."""
        return self.base * ((value + self.base // 2) // self.base)

    def interval(self, shown):
        """The counts a reader knows could lie behind `shown`."""
        low = shown - self.base // 2
        return low, low + self.base - 1


@dataclass(eq=False)
class Node:
    """A count and the counts it is the sum of (none for a leaf)."""

    code: str
    value: int
    children: list = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)

    def add(self, child):
        child.parent = self
        self.children.append(child)
        return child

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Cell:
    """What a table publishes for one node."""

    state: str
    shown: int | None = None  # the rounded count when SHOWN


def publish(root, rule):
    """{node: Cell} for every node of the tree under `root` (see the module docstring)."""
    nodes = list(root.walk())
    states = {node: _primary(node.value, rule) for node in nodes}
    # Each pass hides at least one more node, so this ends (at worst with all hidden).
    for _ in range(len(nodes) + 1):
        pinned = pinned_nodes(root, states, rule)
        if not pinned:
            break
        for node in pinned:
            _protect(node, states)
    return {
        node: Cell(
            states[node],
            rule.rounded(node.value) if states[node] == SHOWN else None,
        )
        for node in nodes
    }


def publish_counts(counts, rule):
    """{code: Cell} for counts that are not parts of a whole (a member speaks several
    languages): each is shown rounded or as small on its own."""
    return {
        code: Cell(_primary(value, rule), rule.rounded(value) if value >= rule.k else None)
        for code, value in counts.items()
    }


def _primary(value, rule):
    if value <= 0:
        return NONE
    return SMALL if value < rule.k else SHOWN


def _protect(node, states):
    """Hide the smallest shown count beside `node`; with none left, its parent."""
    start = node
    while node.parent is not None:
        siblings = [
            other for other in node.parent.children if other is not node and states[other] == SHOWN
        ]
        if siblings:
            smallest = min(siblings, key=lambda other: (other.value, other.code))
            states[smallest] = HIDDEN
            return
        if states[node.parent] == SHOWN:
            states[node.parent] = HIDDEN
            return
        node = node.parent
    # Nothing shown is left to hide: every count from here to the top is small, and
    # their sum pins one (four countries of 1 under a world of "fewer than 5" make 4).
    # Keep back the pinned count's parent, or the pinned count itself at the top.
    target = start.parent if start.parent is not None else start
    if states[target] == SMALL:
        states[target] = HIDDEN
    elif states[start] == SMALL:
        states[start] = HIDDEN


def known_bounds(root, cells_or_states, rule):
    """{node: (low, high)}: what a reader can work out about every count from what
    is published, by propagating the sums through the tree until nothing changes."""
    nodes = list(root.walk())
    low, high = {}, {}
    for node in nodes:
        state = _state_of(node, cells_or_states)
        if state == NONE:
            bounds = (0, 0)
        elif state == SMALL:
            bounds = (1, rule.k - 1)
        elif state == HIDDEN:
            bounds = (1, UNBOUNDED)
        else:
            shown_low, shown_high = rule.interval(rule.rounded(node.value))
            bounds = (max(shown_low, rule.k), shown_high)
        low[node], high[node] = bounds
    parents = [node for node in nodes if node.children]
    for _ in range(4 * len(nodes) + 4):
        changed = False
        for parent in parents:
            kids = parent.children
            sum_low = sum(low[kid] for kid in kids)
            sum_high = sum(high[kid] for kid in kids)
            new_low = max(low[parent], sum_low)
            new_high = min(high[parent], sum_high)
            if (new_low, new_high) != (low[parent], high[parent]):
                low[parent], high[parent] = new_low, new_high
                changed = True
            for kid in kids:
                others_low = sum_low - low[kid]
                others_high = sum_high - high[kid]
                kid_low = max(low[kid], low[parent] - others_high)
                kid_high = min(high[kid], high[parent] - others_low)
                if (kid_low, kid_high) != (low[kid], high[kid]):
                    low[kid], high[kid] = kid_low, kid_high
                    changed = True
        if not changed:
            break
    return {key: (low[key], high[key]) for key in low}


def pinned_nodes(root, states, rule):
    """The small counts a reader could work out exactly from what would be published."""
    bounds = known_bounds(root, states, rule)
    return [
        node for node in root.walk() if states[node] == SMALL and bounds[node][0] >= bounds[node][1]
    ]


def _state_of(node, cells_or_states):
    found = cells_or_states[node]
    return found.state if isinstance(found, Cell) else found
