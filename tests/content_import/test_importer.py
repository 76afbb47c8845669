import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bpd.content_import.importer import ContentError, split_front_matter
from bpd.content_import.runs import import_tree
from bpd.news.models import Post
from bpd.pages.models import Page

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def jekyll_site(tmp_path):
    root = tmp_path / "site"
    write(root, "_config.yml", "title: BPD\n")
    write(root, "README.md", "# This repository\nNo front matter, so not a page.\n")
    write(root, "_layouts/default.html", "---\n---\n<html>{{ content }}</html>\n")
    write(root, "index.md", "---\nlayout: home\ntitle: Home\n---\nWelcome {{ site.title }}!\n")
    write(
        root,
        "about.md",
        "---\nlayout: default\ntitle: About Us\npermalink: /about/\n---\n"
        "Intro\n{% include team.html %}\nMore.\n",
    )
    write(root, "ha/about.md", "---\nlayout: default\ntitle: Game da\n---\nGame da BPD.\n")
    write(root, "events/index.md", "---\ntitle: Events\n---\nSoon.\n")
    write(
        root,
        "_posts/2024-02-01-hello-world.md",
        "---\ntitle: Hello world\nauthor: Jay Miller\ntags: python community\n---\nFirst post.\n",
    )
    write(
        root,
        "_articles/sw/habari.md",
        "---\ntitle: Habari\ndate: 2024-03-05 10:00:00 +0300\ntags: [jamii]\n---\nHabari njema.\n",
    )
    write(root, "assets/css/main.md", "---\ntitle: not content\n---\n")
    return root


def test_split_front_matter_without_front_matter_returns_text():
    assert split_front_matter("# Title\n") == (None, "# Title\n")


def test_import_jekyll_site_creates_pages_and_posts(db, jekyll_site):
    report = import_tree(jekyll_site)

    assert sorted(report.created) == sorted(
        [
            "_articles/sw/habari.md",
            "_posts/2024-02-01-hello-world.md",
            "about.md",
            "events/index.md",
            "ha/about.md",
            "index.md",
        ]
    )
    assert report.skipped == [("README.md", "no front matter")]
    assert {(p.language, p.path) for p in Page.objects.all()} == {
        ("en", ""),
        ("en", "about/"),
        ("ha", "about/"),
        ("en", "events/"),
    }
    assert Page.objects.get(path="").layout == Page.Layout.HOME
    hello = Post.objects.get(slug="hello-world")
    assert hello.language == "en"
    assert hello.author_name == "Jay Miller"
    assert hello.published_at.isoformat() == "2024-02-01T00:00:00+00:00"
    assert sorted(hello.tags.values_list("name", flat=True)) == ["community", "python"]
    habari = Post.objects.get(slug="habari")
    assert habari.language == "sw"
    assert habari.published_at.isoformat() == "2024-03-05T07:00:00+00:00"


def test_import_removes_and_reports_liquid_tags(db, jekyll_site):
    report = import_tree(jekyll_site)

    about = Page.objects.get(language="en", path="about/")
    assert "{%" not in about.body
    assert "include" not in about.body_html
    assert "{{" not in Page.objects.get(path="").body
    # Issue 17: lines are counted from the top of the file, front matter included.
    warnings = {(note.source, note.line, note.message) for note in report.warnings}
    assert ("about.md", 7, "removed the include team.html") in warnings
    assert "Welcome Black Python Devs!" in Page.objects.get(path="").body  # {{ site.title }}


def test_import_again_updates_instead_of_duplicating(db, jekyll_site):
    import_tree(jekyll_site)
    write(jekyll_site, "events/index.md", "---\ntitle: Events\n---\nNow with dates.\n")

    report = import_tree(jekyll_site)

    assert report.created == []
    assert report.updated == ["events/index.md"]
    assert len(report.unchanged) == 5
    assert Page.objects.count() == 4
    assert Post.objects.count() == 2
    assert "Now with dates." in Page.objects.get(path="events/").body_html


@pytest.mark.parametrize(
    ("relative", "text", "message"),
    [
        ("bad.md", "---\ntitle: [unclosed\n---\nx\n", "invalid YAML"),
        ("german.md", "---\ntitle: Hallo\nlang: de\n---\nx\n", "unknown language 'de'"),
        ("about-copy.md", "---\ntitle: Copy\npermalink: /about/\n---\nx\n", "duplicate address"),
        ("list.md", "---\n- a\n- b\n---\nx\n", "front matter must be a mapping"),
        ("_posts/undated.md", "---\ntitle: No date\n---\nx\n", "a post needs a date"),
    ],
)
def test_import_malformed_file_names_it_and_writes_nothing(
    db, jekyll_site, relative, text, message
):
    write(jekyll_site, relative, text)

    with pytest.raises(ContentError) as raised:
        import_tree(jekyll_site)

    # The problem names the file (as the culprit, or as the other half of a duplicate).
    assert any(
        message in problem and relative in f"{name} {problem}"
        for name, problem in raised.value.problems
    )
    assert Page.objects.count() == 0
    assert Post.objects.count() == 0


def test_import_malformed_file_keeps_existing_content_unchanged(db, jekyll_site):
    import_tree(jekyll_site)
    write(jekyll_site, "events/index.md", "---\ntitle: Changed\n---\nChanged.\n")
    write(jekyll_site, "broken.md", "---\ntitle: 'oops\n---\n")

    with pytest.raises(ContentError):
        import_tree(jekyll_site)

    assert Page.objects.get(path="events/").title == "Events"


def test_import_content_command_prints_summary(db, jekyll_site, capsys):
    call_command("import_content", str(jekyll_site))

    out = capsys.readouterr().out
    assert "6 created, 0 updated, 0 unchanged, 1 skipped" in out


def test_import_content_command_lists_every_problem(db, jekyll_site):
    write(jekyll_site, "a.md", "---\nlang: xx\n---\n")
    write(jekyll_site, "b.md", "---\ntitle: [\n---\n")

    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(jekyll_site))

    text = str(raised.value)
    assert "Nothing was imported: 2 file(s)" in text
    assert "a.md: unknown language 'xx'" in text
    assert "b.md: invalid YAML" in text


def test_import_content_dry_run_writes_nothing(db, jekyll_site):
    call_command("import_content", str(jekyll_site), "--dry-run")

    assert Page.objects.count() == 0


def test_import_community_seed_documents(db, tmp_path):
    if not SEEDS.is_dir():
        pytest.skip("the shared seeds folder is not beside this checkout")
    root = tmp_path / "seeds"
    root.mkdir()
    for seed in SEEDS.iterdir():
        shutil.copy(seed, root / (seed.stem + ".md"))

    import_tree(root)

    assert set(Page.objects.values_list("language", "title")) == {
        ("en", "Initiatives"),
        ("ha", "Game da"),
        ("en", "About Us"),
    }


def test_site_content_folder_imports_cleanly(db, settings):
    report = import_tree(settings.BASE_DIR / "content")

    assert report.warnings == []
    assert report.skipped == []
    languages = set(Page.objects.filter(translation_key="about").values_list("language", flat=True))
    assert languages == {"en", "ha", "sw", "es", "fr", "pt"}
    ha_about = Page.objects.get(language="ha", translation_key="about")
    assert ha_about.title == "Game da"
    assert ha_about.needs_review


def test_12_a_huge_file_and_a_link_out_of_the_folder_are_refused_before_reading(
    db, jekyll_site, tmp_path
):
    """Issue 10 finding 12 (imports have size limits; nothing outside the folder is read)."""
    write(jekyll_site, "huge.md", "---\ntitle: Huge\n---\n" + "x" * (1024 * 1024 + 1))
    secret = write(tmp_path, "outside/secret.md", "---\ntitle: Secret\n---\nPRIVATE\n")
    (jekyll_site / "linked.md").symlink_to(secret)

    with pytest.raises(ContentError) as raised:
        import_tree(jekyll_site)

    problems = dict(raised.value.problems)
    assert "at most 1024 KB" in problems["huge.md"]
    assert "outside the folder" in problems["linked.md"]
    assert not Page.objects.filter(title="Secret").exists()
    assert Page.objects.count() == 0


def test_12_too_many_files_are_refused(db, jekyll_site, monkeypatch):
    from bpd.content_import import importer

    monkeypatch.setattr(importer, "MAX_FILES", 3)

    with pytest.raises(ContentError) as raised:
        import_tree(jekyll_site)

    assert "more than 3 content files" in raised.value.problems[0][1]
