"""Templates stay readable: no line over 160 characters.

Gzip makes indentation almost free, so templates are formatted for the people who
review them, not hand-minified. A long sentence goes in `{% blocktranslate trimmed %}`,
which joins its lines with single spaces, so wrapping it changes neither the page nor
the message id.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings

LIMIT = 160


def template_dirs():
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    dirs += [Path(app.path) / "templates" for app in apps.get_app_configs()]
    for directory in dirs:
        directory = directory.resolve()
        # The project's own apps only: not Django's or third-party packages.
        outside = {".venv", "site-packages"} & set(directory.parts)
        if directory.is_dir() and directory.is_relative_to(base) and not outside:
            yield directory


def template_files():
    base = Path(settings.BASE_DIR).resolve()
    for directory in template_dirs():
        for path in sorted(directory.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".md"}:
                yield path.relative_to(base).as_posix(), path


def too_long(line):
    return len(line) > LIMIT


def test_the_project_has_templates_to_check():
    names = {name for name, _ in template_files()}

    assert "bpd/website/templates/website/base.html" in names


def test_no_template_line_is_over_the_limit():
    long_lines = [
        f"{name}:{number}: {len(line)} characters"
        for name, path in template_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if too_long(line)
    ]

    assert long_lines == [], "\n".join(long_lines)
