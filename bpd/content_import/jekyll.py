"""What a Jekyll site's `_config.yml` says: collections, defaults, languages, the menu,
what is excluded, and the address (permalink) Jekyll gave every file.

Only the parts of Jekyll's behaviour that decide *where* content was and *what kind*
it is are reproduced here; rendering is the platform's own.
"""

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml

# Jekyll's built-in permalink styles (https://jekyllrb.com/docs/permalinks/).
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
DEFAULT_EXCLUDES = ("Gemfile", "Gemfile.lock", "node_modules", "vendor", "CNAME")


class ConfigError(ValueError):
    """`_config.yml` cannot be read; the message names the line."""


@dataclass
class Collection:
    name: str
    output: bool
    permalink: str | None

    @property
    def folder(self):
        return f"_{self.name}"


@dataclass
class MenuEntry:
    text: str
    url: str
    line: int


@dataclass
class SiteConfig:
    present: bool = False
    permalink: str = STYLES["date"]
    collections: dict = field(default_factory=dict)  # folder name -> Collection
    defaults: list = field(default_factory=list)  # (path, type, values)
    languages: list = field(default_factory=list)
    navigation: list = field(default_factory=list)
    exclude: list = field(default_factory=list)

    def collection_for(self, parts):
        """The collection a file at `parts` (relative path parts) belongs to, or None."""
        if len(parts) > 1 and parts[0] in self.collections:
            return self.collections[parts[0]]
        return None

    def is_excluded(self, relative):
        for pattern in [*DEFAULT_EXCLUDES, *self.exclude]:
            pattern = pattern.rstrip("/")
            if relative == pattern or relative.startswith(pattern + "/"):
                return True
            if fnmatch.fnmatch(relative, pattern):
                return True
        return False

    def defaults_for(self, relative, kind):
        """Front matter values `defaults` gives this file; later scopes win (as in Jekyll)."""
        values = {}
        for path, type_, scope_values in self.defaults:
            if type_ and type_ != kind:
                continue
            if path and not (
                relative == path
                or relative.startswith(path.rstrip("/") + "/")
                or fnmatch.fnmatch(relative, path)
            ):
                continue
            values.update(scope_values)
        return values


def _line_of(text, key):
    match = re.search(rf"^\s*-?\s*{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def read_config(root):
    """The site's `_config.yml` as a SiteConfig; an absent file gives Jekyll's defaults."""
    path = root / "_config.yml"
    if not path.is_file():
        path = root / "_config.yaml"
    config = SiteConfig(collections={"_posts": Collection("posts", True, None)})
    if not path.is_file():
        return config
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise ConfigError(f"{where}invalid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, dict):
        raise ConfigError("line 1: _config.yml must be a mapping of settings")
    config.present = True
    permalink = data.get("permalink")
    if permalink:
        config.permalink = STYLES.get(str(permalink), str(permalink))

    collections = data.get("collections") or {}
    if isinstance(collections, list):
        collections = {name: {} for name in collections}
    if not isinstance(collections, dict):
        raise ConfigError(f"line {_line_of(text, 'collections')}: collections must be a mapping")
    for name, settings in collections.items():
        settings = settings if isinstance(settings, dict) else {}
        if name == "posts":
            continue
        config.collections[f"_{name}"] = Collection(
            name=str(name),
            output=bool(settings.get("output", False)),
            permalink=settings.get("permalink"),
        )

    for number, scope in enumerate(data.get("defaults") or []):
        if not isinstance(scope, dict) or not isinstance(scope.get("values"), dict):
            raise ConfigError(
                f"line {_line_of(text, 'defaults')}: defaults entry {number + 1} needs "
                "scope and values"
            )
        where = scope.get("scope") or {}
        config.defaults.append(
            (str(where.get("path") or ""), str(where.get("type") or ""), scope["values"])
        )

    declared = data.get("languages") or data.get("langs") or data.get("locales") or []
    if isinstance(declared, dict):
        declared = list(declared)
    config.languages = [str(code) for code in declared] if isinstance(declared, list) else []

    for entry in data.get("navigation") or data.get("menu") or []:
        if isinstance(entry, dict) and (entry.get("url") or entry.get("link")):
            url = str(entry.get("url") or entry.get("link"))
            text_ = str(entry.get("text") or entry.get("title") or entry.get("name") or url)
            found = re.search(
                rf"""^\s*-?\s*(?:url|link)\s*:\s*["']?{re.escape(url)}["']?\s*$""", text, re.M
            )
            line = text.count("\n", 0, found.start()) + 1 if found else 1
            config.navigation.append(MenuEntry(text_, url, line))
    config.exclude = [str(item) for item in data.get("exclude") or []]
    return config


def _clean(segment):
    return re.sub(r"/{2,}", "/", segment)


def expand(template, *, path, title, output_ext, collection="", date=None, categories=()):
    """A permalink template with Jekyll's placeholders filled in."""
    values = {
        "path": path,
        "title": title,
        "slug": title,
        "name": PurePosixPath(path).name,
        "basename": PurePosixPath(path).name,
        "collection": collection,
        "output_ext": output_ext,
        "categories": "/".join(categories),
    }
    if date is not None:
        values.update(
            year=f"{date:%Y}",
            month=f"{date:%m}",
            day=f"{date:%d}",
            i_month=str(date.month),
            i_day=str(date.day),
            short_year=f"{date:%y}",
            y_day=f"{date.timetuple().tm_yday:03d}",
            hour=f"{date:%H}",
            minute=f"{date:%M}",
            second=f"{date:%S}",
        )
    url = re.sub(r":([a-z_]+)", lambda match: values.get(match.group(1), match.group(0)), template)
    url = _clean("/" + url.lstrip("/"))
    return url


def old_urls(url):
    """Every address the file answered at: the URL and, for a folder-style one, its
    `.html` and `index.html` forms (Jekyll wrote `about/index.html`; GitHub Pages also
    served `about.html`)."""
    urls = [url]
    if url.endswith("/") and url != "/":
        urls += [url + "index.html", url.rstrip("/") + ".html"]
    elif url == "/":
        urls.append("/index.html")
    elif url.endswith(".html"):
        urls.append(url[: -len(".html")])
    return urls
