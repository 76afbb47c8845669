"""The word-by-word comparison of two texts that the admin's version history shows."""

import re

from bpd.website.text_diff import diff_html


def marked(html):
    """The words `html` marks as removed and added, hidden screen-reader words left out."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return re.findall(r"<del>(.*?)</del>", html, re.S), re.findall(r"<ins>(.*?)</ins>", html, re.S)


def test_diff_marks_changed_words_and_escapes_the_text():
    html = diff_html("Be kind.", "Be brave & <b>bold</b>.")

    assert marked(html) == (["kind"], ["brave &amp; &lt;b&gt;bold&lt;/b&gt;"])
    assert "<b>" not in html


def test_diff_keeps_a_space_between_two_changes_inside_them():
    assert marked(diff_html("one two three", "uno dos three")) == (["one two"], ["uno dos"])


def test_diff_of_equal_texts_is_empty():
    assert diff_html("Same.", "Same.") == ""


def test_diff_folds_long_unchanged_stretches():
    old = "\n".join(f"line {n}" for n in range(20))
    new = old.replace("line 10", "line ten")

    html = diff_html(old, new)

    assert "line 8\nline 9\n" in html
    assert "line 11\nline 12\n" in html
    assert "line 3\n" not in html
    assert "… 8 unchanged lines …" in html
    assert "… 7 unchanged lines …" in html


def test_diff_ignores_line_endings_alone():
    assert diff_html("Be kind.\nWelcome.", "Be kind.\r\nWelcome.\r\n") == ""


def test_diff_of_a_huge_rewrite_stays_whole():
    old, new = "word " * 5000 + "\n", "other " * 5000 + "\n"

    removed, added = marked(diff_html(old, new))

    assert removed == [old]
    assert added == [new]


def test_diff_puts_the_space_before_an_added_word_after_it():
    html = diff_html("Be welcoming and kind.", "Be welcoming and very kind.")

    assert marked(html) == ([], ["very "])
    assert html.startswith("Be welcoming and <ins>")


def test_diff_does_not_fold_two_unchanged_lines():
    old = "one\ntwo\nthree\nfour\n"

    html = diff_html(old, old.replace("four", "4"))

    assert "unchanged" not in html
    assert html.startswith("one\ntwo\n")
