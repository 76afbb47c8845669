"""Issue 17: moving BPD's Jekyll site in without losing anything.

The fixture under jekyll_site/ is a Jekyll site of the shape of BPD's own: _config.yml
with collections, defaults, a menu, excludes and languages; _articles/<lang>/ pages;
assets; featured images; .html pages; _data lists shown with Liquid loops; duplicate
titles; embeds from allowed and other hosts; a broken asset reference. The symlink and
the oversize file are added by the tests that need them.
"""

import re
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from bpd.content_import.importer import ContentError
from bpd.content_import.models import ImportedFile, ImportRun
from bpd.content_import.runs import import_tree, revert
from bpd.learning.models import Material, Programme
from bpd.news.models import Post
from bpd.pages.models import Page
from bpd.website.models import Redirect
from tests.learning.factories import ProgrammeFactory

FIXTURE = Path(__file__).parent / "jekyll_site"


def line_of(relative, needle):
    """The line (from the top of the file, front matter included) holding `needle`."""
    lines = (FIXTURE / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, start=1) if needle in text)


@pytest.fixture
def platform(db, settings, tmp_path):
    """The platform's own site as a fresh install has it, and a book club."""
    settings.MEDIA_ROOT = tmp_path / "media"
    import_tree(settings.BASE_DIR / "content")
    ProgrammeFactory(kind=Programme.Kind.BOOK_CLUB, slug="book-club")


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def imported(platform, site):
    return import_tree(site)


def notes(report, level="warnings"):
    return {(note.source, note.line, note.message) for note in getattr(report, level)}


def has_note(report, source, line, text, level="warnings"):
    return any(s == source and n == line and text in m for s, n, m in notes(report, level))


def imported_urls():
    pages = [page.get_absolute_url() for page in Page.objects.exclude(source_path="")]
    posts = [post.get_absolute_url() for post in Post.objects.exclude(source_path="")]
    return pages + posts


def test_every_imported_page_and_post_answers(imported, client):
    urls = imported_urls()

    assert len(urls) >= 20
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_every_old_address_redirects_to_a_page_that_answers(imported, client):
    assert imported.redirects
    for old, new in imported.redirects:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
        assert client.get(new).status_code == 200, new
    assert ("/about.html", "/about/") in imported.redirects
    assert ("/2024-05-03-pycon-ng-2024/", "/news/pycon-ng-2024/") in imported.redirects


def test_no_page_has_two_top_level_headings(imported, client):
    for url in imported_urls():
        html = client.get(url).content.decode()
        assert len(re.findall(r"<h1\b", html)) == 1, url


def test_no_image_on_an_imported_page_is_missing(imported, client):
    sources = set()
    for url in imported_urls():
        sources |= set(re.findall(r'<img[^>]+src="([^"]+)"', client.get(url).content.decode()))
    imported_images = {src for src in sources if src.startswith("/media/imported/")}

    assert len(imported_images) >= 3  # members.png, support.jpg, summit.webp
    for src in sources:
        if src.startswith("/media/"):
            assert default_storage.exists(src.removeprefix("/media/")), src
    for record in ImportedFile.objects.filter(file__endswith=".webp"):
        assert record.width
        assert record.height
        assert record.width <= 1200


def test_images_become_webp_with_their_size(imported):
    about = Page.objects.get(language="en", path="about/")

    match = re.search(r'<img [^>]*src="(/media/imported/members-\w+\.webp)" alt="Members at PyCon" '
                      r'width="1200" height="675"', about.body_html)  # fmt: skip
    assert match, about.body_html
    post = Post.objects.get(slug="pycon-ng-2024")
    assert post.image
    assert post.image_webp


def test_every_loss_is_reported_with_its_file_and_line(imported):
    expected = [
        ("about.md", line_of("about.md", "images.example.org"), "kept as a link"),
        ("broken.md", line_of("broken.md", "missing.png"), "missing.png does not exist"),
        ("support.md", line_of("support.md", "<form"), "replaced a form (to www.paypal.com)"),
        ("support.md", line_of("support.md", "canva"), "embed from www.canva.com"),
        ("summit.html", line_of("summit.html", "<script"), "removed a script"),
        ("summit.html", line_of("summit.html", "onclick"), "event handler"),
        ("summit.html", line_of("summit.html", "<button"), "<button>"),
        ("community.md", line_of("community.md", "site.data.cities"), "loop over site.data.cities"),
        ("community.md", line_of("community.md", "{% if"), "{% if site.show_map %}"),
        ("index.html", line_of("index.html", "hero.html"), "include hero.html"),
        ("coc.md", 2, "duplicates the platform's page /code-of-conduct/"),
        ("_posts/2024-01-12-sponsoring-pytexas.md", 4, "featured image https://images.example.org"),
        ("_articles/ha/index.html", line_of("_articles/ha/index.html", "<h1>"),
         "kept the platform's text of /ha/"),
    ]  # fmt: skip
    for source, line, text in expected:
        assert has_note(imported, source, line, text), (source, line, text)
    changes = [
        ("about.md", line_of("about.md", "youtube"), "www.youtube-nocookie.com"),
        ("blog/index.html", line_of("blog/index.html", "{% for"), "live news list"),
        ("conferences.md", line_of("conferences.md", "{% for"), "live conferences list"),
        ("conferences.md", line_of("conferences.md", "{% if"), "condition around the live"),
        ("book-club.md", line_of("book-club.md", "{% for"), "live books list"),
        ("partners.html", line_of("partners.html", "{% for"), "live partners list"),
        ("about.md", line_of("about.md", "# About Us"), "repeats the page title"),
    ]
    for source, line, text in changes:
        assert has_note(imported, source, line, text, "changes"), (source, line, text)
    assert ("README.md", "excluded in _config.yml") in imported.skipped
    assert ("_notes/todo.md", "collection notes has output: false") in imported.skipped


def test_html_pages_are_read_as_html_not_markdown(imported):
    summit = Page.objects.get(language="en", path="summit/")

    assert summit.body_format == "html"
    assert "<h2>Leadership Summit 2026</h2>" in summit.body_html
    assert "<pre>" not in summit.body_html
    assert "&lt;div" not in summit.body_html
    assert "<script" not in summit.body_html
    assert "onclick" not in summit.body_html


def test_collections_from_config_are_pages_with_their_permalinks(imported):
    assert Page.objects.get(language="es", path="about/").title == "Sobre nosotros"
    assert Page.objects.get(language="sw", path="events/").title == "Matukio"
    assert not Post.objects.filter(source_path__startswith="_articles").exists()


def test_data_lists_become_the_platforms_live_lists(imported, client):
    blog = client.get("/blog/").content.decode()
    assert "BPD at PyCon Nigeria 2024" in blog
    assert "[[component" not in blog
    conferences = client.get("/conferences-we-love/").content.decode()
    assert "PyCon Testland" in conferences
    assert "No conferences" not in conferences  # the {% else %} of the list went with it
    assert "Fluent Python" in client.get("/book-club/").content.decode()
    assert "Test Training" in client.get("/our-partners/").content.decode()
    assert Material.objects.filter(title="Fluent Python", programme__slug="book-club").exists()


def test_the_platforms_structure_wins(platform, site, client):
    menu_before = dict(Page.objects.exclude(in_menu=None).values_list("pk", "in_menu"))
    ha_home_before = Page.objects.get(language="ha", path="").body

    report = import_tree(site)

    menu_after = dict(Page.objects.exclude(in_menu=None).values_list("pk", "in_menu"))
    assert menu_after.items() >= menu_before.items()  # nothing left the menu or moved
    assert Page.objects.get(language="en", path="leadership/").layout == Page.Layout.TEAM
    assert Page.objects.get(language="ha", path="").body == ha_home_before
    assert not Page.objects.filter(path="coc/").exists()
    assert client.get("/coc/")["Location"] == "/code-of-conduct/"
    assert Page.objects.get(language="en", path="support/").in_menu is not None
    assert has_note(report, "_config.yml", line_of("_config.yml", "url: /support/"),
                    "put /support/ in the menu", "changes")  # fmt: skip


def test_a_second_run_changes_nothing(imported, site):
    counts = [model.objects.count() for model in (Page, Post, Redirect, ImportedFile, Material)]
    bodies = dict(Page.objects.values_list("pk", "body_html"))

    again = import_tree(site)

    assert again.created == []
    assert again.updated == []
    assert [
        model.objects.count() for model in (Page, Post, Redirect, ImportedFile, Material)
    ] == counts
    assert dict(Page.objects.values_list("pk", "body_html")) == bodies


def test_a_dry_run_says_created_updated_unchanged_and_writes_nothing(platform, site):
    pages, runs = Page.objects.count(), ImportRun.objects.count()

    report = import_tree(site, dry_run=True)

    assert "summit.html" in report.created
    assert "about.md" in report.updated
    assert "_articles/es/about.md" in report.updated
    assert "_articles/ha/index.html" in report.unchanged
    assert report.warnings
    assert Page.objects.count() == pages
    assert not Redirect.objects.exists()
    assert ImportRun.objects.count() == runs
    assert not default_storage.exists("imported")


def test_a_link_out_of_the_folder_and_an_oversize_file_are_refused(platform, site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\nPRIVATE\n", encoding="utf-8")
    (site / "linked.md").symlink_to(secret)
    (site / "huge.md").write_text("---\ntitle: Huge\n---\n" + "x" * (1100 * 1024))
    pages = Page.objects.count()

    with pytest.raises(ContentError) as raised:
        import_tree(site)

    problems = dict(raised.value.problems)
    assert "outside the folder" in problems["linked.md"]
    assert "at most 1024 KB" in problems["huge.md"]
    assert "--max-file-kb" in problems["huge.md"]
    assert Page.objects.count() == pages


def test_max_file_kb_raises_the_limit(platform, site, settings):
    (site / "huge.md").write_text("---\ntitle: Huge\n---\n" + "word " * (240 * 1024))

    call_command("import_content", str(site), "--max-file-kb", "2048", verbosity=0)

    assert Page.objects.filter(path="huge/").exists()


def test_errors_count_lines_from_the_top_of_the_file(platform, site):
    (site / "bad.md").write_text("---\ntitle: Fine\ndate: [unclosed\n---\nx\n")

    with pytest.raises(ContentError) as raised:
        import_tree(site)

    assert "(line 3)" in dict(raised.value.problems)["bad.md"]


def test_revert_undoes_a_whole_run(platform, site, client):
    about_es = Page.objects.get(language="es", path="about/").body
    pages, posts, redirects = Page.objects.count(), Post.objects.count(), Redirect.objects.count()
    report = import_tree(site)

    lines = revert(report.run)

    assert Page.objects.count() == pages
    assert Post.objects.count() == posts
    assert Page.objects.get(language="es", path="about/").body == about_es
    assert Redirect.objects.count() == redirects
    assert not ImportedFile.objects.exists()
    assert client.get("/summit/").status_code == 404
    assert any("removed" in line for line in lines)
    with pytest.raises(ValueError, match="already reverted"):
        revert(report.run)


def test_the_command_prints_the_report_and_how_to_undo_it(platform, site, capsys):
    call_command("import_content", str(site))

    out = capsys.readouterr().out
    assert "warnings (not carried over, or needs you):" in out
    assert "broken.md:" in out
    assert "manage.py import_content --revert" in out


def test_keeping_youtube_host_reports_the_embed_as_a_link(platform, site):
    report = import_tree(site, convert_embeds=False)

    assert has_note(
        report, "about.md", line_of("about.md", "youtube"), "embed from www.youtube.com"
    )
    assert "youtube.com/embed" in Page.objects.get(language="en", path="about/").body_html


class _Images(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/missing.png":
            self.send_error(404)
            return
        buffer = BytesIO()
        Image.new("RGB", (300, 200), (1, 2, 3)).save(buffer, "PNG")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(buffer.getvalue())

    def log_message(self, *args):
        pass


@pytest.fixture
def image_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_external_images_are_downloaded_when_asked(platform, tmp_path, image_server):
    root = tmp_path / "small"
    root.mkdir()
    (root / "photos.md").write_text(
        f"---\ntitle: Photos\n---\n![A sprint]({image_server}/sprint.png)\n\n"
        f"![Gone]({image_server}/missing.png)\n"
    )
    (root / "_posts").mkdir()
    (root / "_posts/2025-01-01-cover.md").write_text(
        f"---\ntitle: Cover\nfeatured_image: {image_server}/cover.png\n---\nText.\n"
    )

    report = import_tree(root, fetch_external=True)

    photos = Page.objects.get(path="photos/")
    assert re.search(r'<img [^>]*src="/media/imported/sprint-\w+\.webp" alt="A sprint" '
                     r'width="300" height="200"', photos.body_html)  # fmt: skip
    assert has_note(report, "photos.md", 6, "answered 404; kept as a link")
    assert f'href="{image_server}/missing.png"' in photos.body_html
    assert Post.objects.get(slug="cover").image


def test_a_donate_form_and_an_embed_from_another_host_become_links(imported):
    support = Page.objects.get(language="en", path="support/").body_html

    assert '<a href="https://www.paypal.com/donate" rel="noopener">Donate</a>' in support
    assert 'href="https://www.canva.com/design/DAF123/view?embed"' in support
    assert "Our year in pictures" in support
    assert "<form" not in support
    assert "<iframe" not in support


def test_a_redirect_someone_made_is_left_alone_and_survives_a_revert(platform, site):
    from bpd.website.redirects import add_redirect, target_for

    add_redirect("/about.html", "/initiatives/", source="admin")

    report = import_tree(site)
    revert(report.run)

    assert has_note(report, "about.md", 1, "/about.html already redirects to /initiatives/")
    assert target_for("/about.html") == "/initiatives/"
