import pytest

from bpd.website.markdown import render


def test_render_markdown_to_html():
    html = render("## Mission\n\nWe *amplify* voices.")

    assert '<h2 id="mission">Mission</h2>' in html
    assert "<em>amplify</em>" in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<p onclick="steal()">hi</p>', "onclick"),
        ('<div style="display:flex">x</div>', "style="),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<iframe src="https://evil.example/x"></iframe>', "<iframe"),
        ('<img src="https://github.com/someone.png" alt="hot-linked">', "<img"),
        ("<object data='x.swf'></object>", "<object"),
    ],
)
def test_render_removes_dangerous_or_third_party_html(source, forbidden):
    assert forbidden not in render(source)


def test_render_keeps_iframe_from_allowed_host(settings):
    settings.CONTENT_IFRAME_HOSTS = ["www.youtube-nocookie.com"]

    html = render('<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>')

    assert 'src="https://www.youtube-nocookie.com/embed/abc"' in html


def test_render_local_images_lazy_load():
    html = render("![Team photo](/media/team.webp)")

    assert 'loading="lazy"' in html
    assert 'alt="Team photo"' in html
