"""What changed between two versions of a text, word by word, as HTML for staff.

Lines are compared first (fast on long texts), then the words of the lines that
changed. Removed words are in `<del>`, added ones in `<ins>`: struck through and
underlined, not told apart by colour alone, and each announced to screen readers by
hidden words. Every piece of the texts is escaped: they are what people typed.
"""

import difflib
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import npgettext, pgettext

# A word, a run of white space, or one other character (so "kind." → "kind", ".").
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# Unchanged lines kept either side of a change; longer unchanged stretches are folded.
CONTEXT = 2
# Word-by-word comparison is quadratic at worst; a larger changed block is shown as
# removed, then added, whole.
MAX_TOKENS = 4000


def diff_html(old, new, *, context=CONTEXT):
    """`old` → `new` as safe HTML: removals in <del>, additions in <ins>, long unchanged
    stretches folded into a note. Empty when the texts are the same (line endings aside)."""
    old, new = _normalised(old), _normalised(new)
    if old == new:
        return ""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    # autojunk (the default) skips over lines as common as blank ones: fast on long texts.
    opcodes = difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes()
    parts = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        removed, added = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            parts.append(_unchanged(old_lines[i1:i2], index, len(opcodes), context))
        elif tag == "replace":
            parts.append(_words(removed, added))
        else:
            parts.append(_mark("del", removed) + _mark("ins", added))
    return mark_safe("".join(parts))


def _normalised(text):
    """Line endings as "\\n" and a final one: a browser sends "\\r\\n", an import "\\n"."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text if not text or text.endswith("\n") else text + "\n"


def _unchanged(lines, index, count, context):
    head = context if index > 0 else 0  # after the change before
    tail = context if index < count - 1 else 0  # before the change after
    folded = len(lines) - head - tail
    if folded < 3:  # a note in place of one or two lines saves nothing
        return escape("".join(lines))
    note = format_html(
        '<span class="diff-folded">{}</span>\n',
        npgettext(
            "text diff", "… %(count)s unchanged line …", "… %(count)s unchanged lines …", folded
        )
        % {"count": folded},
    )
    return escape("".join(lines[:head])) + note + escape("".join(lines[len(lines) - tail :]))


def _words(old, new):
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    if len(old_tokens) + len(new_tokens) > MAX_TOKENS:
        return _mark("del", old) + _mark("ins", new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    # [removed, added] per stretch; an unchanged stretch has removed == added.
    stretches = [
        ["".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2]), tag == "equal"]
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    # A lone space between two changes reads better inside them than as its own
    # stretch ("<del>be kind</del>" rather than "<del>be</del> <del>kind</del>").
    for before, stretch, after in zip(stretches, stretches[1:], stretches[2:], strict=False):
        if stretch[2] and stretch[0].isspace() and not before[2] and not after[2]:
            stretch[2] = False
    merged = []
    for stretch in stretches:
        if merged and not merged[-1][2] and not stretch[2]:
            merged[-1][0] += stretch[0]
            merged[-1][1] += stretch[1]
        else:
            merged.append(stretch)
    for before, stretch, after in zip(merged, merged[1:], merged[2:], strict=False):
        _slide_leading_space(before, stretch, after)
    return "".join(
        escape(removed) if same else _mark("del", removed) + _mark("ins", added)
        for removed, added, same in merged
    )


def _slide_leading_space(before, stretch, after):
    """Move the space a lone addition or removal starts with to its end when the text
    after it starts with the same space: "and <ins>very </ins>kind", not
    "and<ins> very</ins> kind"."""
    if stretch[2] or not (before[2] and after[2]) or (stretch[0] and stretch[1]):
        return
    side = 0 if stretch[0] else 1
    text = stretch[side]
    space = text[: len(text) - len(text.lstrip())]
    if space and space != text and after[0].startswith(space):
        before[0] = before[1] = before[0] + space
        stretch[side] = text[len(space) :] + space
        after[0] = after[1] = after[0][len(space) :]


def _mark(tag, text):
    if not text:
        return ""
    label = pgettext("text diff", "removed") if tag == "del" else pgettext("text diff", "added")
    # Hidden brackets tell a screen reader where the change starts and ends.
    return format_html(
        '<{0}><span class="visually-hidden">[{1}: </span>{2}'
        '<span class="visually-hidden">]</span></{0}>',
        tag,
        label,
        text,
    )
