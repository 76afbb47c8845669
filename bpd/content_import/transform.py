"""One file's body, made into the platform's content, with every loss reported.

Each pass rewrites the text and keeps, for every line of the result, the line of the
original file it came from, so the report names lines counted from the top of the file
(front matter included) whatever earlier passes removed.
"""

import re
from collections import Counter
from dataclasses import dataclass
from html import escape, unescape
from urllib.parse import urlsplit

from django.conf import settings

from bpd.content_import.assets import AssetProblem
from bpd.website import markdown

# Loops over these lists become the platform's live lists (docs/migrating.md).
LOOP_COMPONENTS = {
    "site.posts": "news",
    "paginator.posts": "news",
    "site.categories": "news",
    "site.tags": "news",
    "site.data.conferences": "conferences",
    "site.data.books": "books",
    "site.data.partnerships": "partners",
    "site.data.partners": "partners",
    "site.data.parters": "partners",
}
INCLUDE_COMPONENTS = {
    "latest-posts": "news",
    "posts": "news",
    "blog": "news",
    "news": "news",
    "conferences": "conferences",
    "conference-list": "conferences",
    "books": "books",
    "book-list": "books",
    "partners": "partners",
    "partnerships": "partners",
}
YOUTUBE_HOSTS = {"www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be"}
NOCOOKIE = "www.youtube-nocookie.com"
MARKER = "[[component:{}]]"
# Layout elements the sanitiser unwraps: their content stays, so dropping them loses nothing.
WRAPPERS = {
    "section", "article", "header", "footer", "main", "nav", "aside", "center", "font",
    "picture", "source", "figure", "label", "time", "small", "address", "hgroup",
}  # fmt: skip

_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_OUTPUT = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
_URL_FILTER = re.compile(
    r"""\{\{-?\s*(?:site\.baseurl\s*\}\}|site\.url\s*\}\})|"""
    r"""\{\{-?\s*['"]([^'"]*)['"]\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}"""
)


@dataclass
class Note:
    source: str
    line: int
    message: str
    hint: str = ""
    level: str = "warning"  # "warning": something was not carried over; "info": changed

    def __str__(self):
        hint = f" {self.hint}" if self.hint else ""
        return f"{self.source}:{self.line}: {self.message.rstrip('.')}.{hint}"


class Text:
    """Text being rewritten, knowing which original line each of its lines came from."""

    def __init__(self, text, first_line):
        self.text = text
        self.origins = [first_line + index for index in range(text.count("\n") + 1)]

    def line_at(self, position):
        return self.origins[self.text.count("\n", 0, position)]

    def sub(self, pattern, replace, *, skip_code=False):
        """Replace every match of `pattern` by `replace(match, line)` (None keeps it)."""
        protected = [m.span() for m in _FENCE.finditer(self.text)] if skip_code else []
        pieces, origins, last = [], [self.origins[0]], 0
        for match in re.finditer(pattern, self.text):
            if any(start <= match.start() < end for start, end in protected):
                continue
            line = self.line_at(match.start())
            new = replace(match, line)
            if new is None:
                continue
            self._extend(pieces, origins, last, match.start())
            pieces.append(new)
            origins += [line] * new.count("\n")
            last = match.end()
        if not pieces:
            return
        self._extend(pieces, origins, last, len(self.text))
        self.text = "".join(pieces)
        self.origins = origins

    def _extend(self, pieces, origins, start, end):
        segment = self.text[start:end]
        first = self.text.count("\n", 0, start)
        origins += self.origins[first + 1 : first + 1 + segment.count("\n")]
        pieces.append(segment)


def _attribute(tag, name):
    match = re.search(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag, re.I)
    if not match:
        return None
    return unescape(next(group for group in match.groups() if group is not None))


def _is_external(url):
    return url.startswith(("http://", "https://", "//"))


def _is_local_file(url):
    """A reference to a file of the site (not a page address, not another site)."""
    if not url or _is_external(url) or url.startswith(("#", "mailto:", "tel:", "data:")):
        return False
    path = urlsplit(url).path
    return bool(re.search(r"\.[A-Za-z0-9]{2,5}$", path)) and not path.endswith(
        (".html", ".htm", ".md")
    )


class BodyConverter:
    """Converts one body. `notes` collects what the report says about it."""

    def __init__(self, *, source, assets, components, convert_embeds=True):
        self.source = source
        self.assets = assets
        self.components = components
        self.convert_embeds = convert_embeds
        self.notes = []

    def note(self, line, message, hint="", level="warning"):
        self.notes.append(Note(self.source, line, message, hint, level))

    def marker(self, name, is_html):
        text = MARKER.format(name)
        return f"<p>{text}</p>" if is_html else f"\n\n{text}\n\n"

    # -- Liquid -------------------------------------------------------------------------

    def liquid(self, text, *, meta, site, is_html):
        text.sub(_URL_FILTER, lambda match, line: match.group(1) or "")
        text.sub(
            re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S),
            lambda match, line: "",
        )
        text.sub(
            re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S),
            lambda match, line: match.group(1),
        )
        text.sub(
            re.compile(r"\{%-?\s*highlight\s+(\w+)[^%]*%\}(.*?)\{%-?\s*endhighlight\s*-?%\}", re.S),
            lambda match, line: f"\n```{match.group(1)}\n{match.group(2).strip(chr(10))}\n```\n",
        )
        text.sub(
            re.compile(r"\{%-?\s*post_url\s+\d{4}-\d{2}-\d{2}-([\w-]+)\s*-?%\}"),
            lambda match, line: f"/news/{match.group(1).lower()}/",
        )
        self._loops(text, is_html)
        self._includes(text, is_html)
        self._conditions_around_lists(text, is_html)
        self._captures(text)

        def output(match, line):
            expression = match.group(1).strip()
            name, _sep, _filters = expression.partition("|")
            name = name.strip()
            scope, _dot, key = name.partition(".")
            source = {"page": meta, "site": site}.get(scope)
            if source is not None and key in source and isinstance(source[key], (str, int, float)):
                value = str(source[key])
                return escape(value) if is_html else value
            self.note(
                line,
                f"removed the Liquid value {{{{ {' '.join(expression.split())} }}}}",
                "It is computed by the old site's templates; write the text it showed into the page.",
            )
            return ""

        text.sub(_OUTPUT, output)

        def tag(match, line):
            self.note(
                line,
                f"removed the Liquid tag {{% {' '.join((match.group(1) + match.group(2)).split())} %}}",
                "Liquid logic does not run on the platform; the text around it was kept.",
            )
            return ""

        text.sub(_TAG, tag)
        text.sub(
            re.compile(r"^\{:[^}\n]*\}[ \t]*$", re.M),
            lambda match, line: self.note(
                line, f"removed the kramdown attribute list {match.group(0).strip()}",
                "Styling comes from the platform's stylesheet.", "info",
            ) or "",
        )  # fmt: skip

    def _blocks(self, text, opening, closing):
        """Outermost `{% opening %}…{% closing %}` blocks: (start, end, head match)."""
        token = re.compile(rf"\{{%-?\s*({opening}|{closing})\b(.*?)-?%\}}", re.S)
        depth, start, head, blocks = 0, 0, None, []
        for match in token.finditer(text):
            if match.group(1) == opening:
                if depth == 0:
                    start, head = match.start(), match
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    blocks.append((start, match.end(), head))
        return blocks

    def _replace_blocks(self, text, blocks, replacement):
        if not blocks:
            return
        spans = {start: (end, head) for start, end, head in blocks}
        pattern = re.compile("|".join(re.escape(text.text[s:e]) for s, e, _h in blocks), re.S)
        used = set()

        def replace(match, line):
            if match.start() not in spans or match.start() in used:
                return None
            used.add(match.start())
            end, head = spans[match.start()]
            lines = text.text.count("\n", match.start(), end)
            return replacement(head, line, line + lines)

        text.sub(pattern, replace)

    def _loops(self, text, is_html):
        def replacement(head, line, last):
            collection = re.sub(r"\[.*", "", head.group(2).split(" in ", 1)[-1].split()[0])
            name = LOOP_COMPONENTS.get(collection)
            if name is None and collection.startswith(("site.categories", "site.tags")):
                name = "news"
            if name in self.components:
                self.note(
                    line,
                    f"the loop over {collection} (lines {line}-{last}) became the platform's "
                    f"live {name} list",
                    level="info",
                )
                return self.marker(name, is_html)
            self.note(
                line,
                f"removed the loop over {collection} (lines {line}-{last}): the platform has "
                "no live list for it",
                "Write the list into the page, or import the data it listed and add a list "
                "to the platform (docs/migrating.md, Data-driven sections).",
            )
            return ""

        self._replace_blocks(text, self._blocks(text.text, "for", "endfor"), replacement)
        self._hoist(text, is_html)

    def _includes(self, text, is_html):
        def replace(match, line):
            name = match.group(1)
            key = re.sub(r"\.(html|md|liquid)$", "", name.split("/")[-1])
            component = INCLUDE_COMPONENTS.get(key)
            if component in self.components:
                self.note(line, f"the include {name} became the platform's live {component} list",
                          level="info")  # fmt: skip
                return self.marker(component, is_html)
            self.note(
                line,
                f"removed the include {name}",
                "It is a template of the old site; write its text into the page.",
            )
            return ""

        text.sub(re.compile(r"\{%-?\s*include(?:_relative)?\s+([\w./-]+)[^%]*-?%\}"), replace)
        self._hoist(text, is_html)

    def _conditions_around_lists(self, text, is_html):
        """`{% if list.size > 0 %}[list]{% else %}No items{% endif %}` is the list alone:
        the platform's list shows its own empty state, so the else text must not stay."""
        for opening, closing in (("if", "endif"), ("unless", "endunless")):
            blocks = [
                block
                for block in self._blocks(text.text, opening, closing)
                if re.search(r"\[\[component:[\w-]+\]\]", text.text[block[0] : block[1]])
            ]

            def replacement(head, line, last, blocks=blocks):
                start = next(b[0] for b in blocks if b[2] is head)
                end = next(b[1] for b in blocks if b[2] is head)
                names = re.findall(r"\[\[component:([\w-]+)\]\]", text.text[start:end])
                self.note(
                    line,
                    f"the condition around the live {', '.join(names)} list (lines {line}-{last}) "
                    "was removed with its other branch; the list shows its own empty state",
                    level="info",
                )
                return "".join(self.marker(name, is_html) for name in names)

            self._replace_blocks(text, blocks, replacement)
        self._hoist(text, is_html)

    def _captures(self, text):
        def replace(match, line):
            self.note(line, "removed a Liquid capture block",
                      "Its text was a value for the old site's templates.")  # fmt: skip
            return ""

        text.sub(re.compile(r"\{%-?\s*capture\b.*?\{%-?\s*endcapture\s*-?%\}", re.S), replace)

    def _hoist(self, text, is_html):
        """A list left alone in its wrappers (`<div><ul>[[component]]</ul></div>`) takes
        their place: the platform's list brings its own markup."""
        pattern = re.compile(
            r"<(div|section|ul|ol|span|p|nav|aside|article|table|tbody)\b[^>]*>\s*"
            r"(?:<p>)?(\[\[component:[\w-]+\]\])(?:</p>)?\s*</\1>",
            re.S,
        )
        for _round in range(6):
            before = text.text
            text.sub(
                pattern,
                lambda match, line: (
                    f"<p>{match.group(2)}</p>" if is_html else f"\n\n{match.group(2)}\n\n"
                ),
            )
            if text.text == before:
                break

    # -- headings -----------------------------------------------------------------------

    def headings(self, text, title):
        wanted = _normal(title)

        def first_heading():
            md = re.search(r"^#[ \t]+(.+?)[ \t#]*$", text.text, re.M)
            html = re.search(r"<h1\b[^>]*>(.*?)</h1>", text.text, re.S | re.I)
            found = [m for m in (md, html) if m]
            return min(found, key=lambda m: m.start()) if found else None

        heading = first_heading()
        if heading and _normal(re.sub(r"<[^>]+>", "", heading.group(1))) == wanted:
            start = heading.start()
            text.sub(
                re.compile(re.escape(heading.group(0))),
                lambda match, line: (
                    (
                        self.note(
                            line, "dropped the heading that repeats the page title", level="info"
                        )
                        or ""
                    )
                    if match.start() == start
                    else None
                ),
            )

        def demote_md(match, line):
            self.note(line, "a second top-level heading became a section heading", level="info")
            return "##" + match.group(1)

        text.sub(re.compile(r"^#([ \t]+.+)$", re.M), demote_md, skip_code=True)

        def demote_html(match, line):
            self.note(line, "a second top-level heading became a section heading", level="info")
            return f"<{match.group(1)}h2"

        text.sub(re.compile(r"<(/?)h1\b", re.I), demote_html, skip_code=True)

    # -- HTML the sanitiser would remove, and files ---------------------------------------

    def markup(self, text):
        hosts = set(settings.CONTENT_IFRAME_HOSTS)

        def removed(what, hint):
            def replace(match, line):
                self.note(line, f"removed {what}", hint)
                return ""

            return replace

        text.sub(
            re.compile(r"<script\b.*?</script\s*>|<script\b[^>]*/>", re.S | re.I),
            removed(
                "a script", "Scripts do not run in the platform's pages (its security policy)."
            ),
            skip_code=True,
        )
        text.sub(
            re.compile(r"<style\b.*?</style\s*>", re.S | re.I),
            removed("a style block", "Styling comes from the platform's stylesheet."),
            skip_code=True,
        )
        text.sub(re.compile(r"<form\b.*?</form\s*>", re.S | re.I), self._form, skip_code=True)
        text.sub(
            re.compile(r"<iframe\b[^>]*>(?:.*?</iframe\s*>)?", re.S | re.I),
            lambda match, line: self._iframe(match, line, hosts),
            skip_code=True,
        )
        text.sub(
            re.compile(r"<(object|embed|video|audio)\b.*?(?:</\1\s*>|/>|(?=\n\n))", re.S | re.I),
            self._media,
            skip_code=True,
        )
        text.sub(re.compile(r"<img\b[^>]*>", re.I), self._img, skip_code=True)
        text.sub(
            re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"),
            self._markdown_image,
            skip_code=True,
        )
        text.sub(
            re.compile(r"""(\]\(\s*|\shref\s*=\s*["']?)([^)\s"'>]+)"""),
            self._file_link,
            skip_code=True,
        )
        text.sub(
            re.compile(r"""\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I),
            removed("an event handler attribute", "Scripts do not run in the platform's pages."),
            skip_code=True,
        )

    def _form(self, match, line):
        tag = match.group(0)
        action = _attribute(tag, "action")
        button = re.search(r"<button\b[^>]*>(.*?)</button\s*>", tag, re.S | re.I)
        submit = re.search(r"<input\b[^>]*\btype\s*=\s*[\"']?(?:submit|image)[^>]*>", tag, re.I)
        if button:
            button = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", button.group(1))).strip()
        elif submit:
            button = _attribute(submit.group(0), "value") or _attribute(submit.group(0), "alt")
        if action and _is_external(action):
            text = button or f"Open the form ({urlsplit(action).hostname})"
            self.note(
                line,
                f"replaced a form (to {urlsplit(action).hostname}) by a link to it",
                "Forms of other sites cannot be posted from the platform's pages; for a "
                "donation, link to the donation page instead.",
            )
            return f'<a href="{escape(action)}">{escape(text)}</a>'
        self.note(line, "removed a form", "The platform's own forms replace the old site's.")
        return ""

    def _iframe(self, match, line, hosts):
        tag = match.group(0)
        src = _attribute(tag, "src") or ""
        if src.startswith("//"):
            src = "https:" + src
        parts = urlsplit(src)
        title = _attribute(tag, "title") or ""
        if parts.scheme == "https" and parts.hostname in hosts:
            return None
        if parts.hostname in YOUTUBE_HOSTS and NOCOOKIE in hosts:
            video = parts.path.rsplit("/", 1)[-1] if parts.hostname == "youtu.be" else None
            if video is None:
                found = re.match(r"/embed/([\w-]+)", parts.path)
                video = found.group(1) if found else None
            if video and self.convert_embeds:
                query = f"?{parts.query}" if parts.query else ""
                self.note(
                    line,
                    f"the YouTube embed now uses {NOCOOKIE} (no tracking cookies)",
                    f"To keep {parts.hostname}, add it to BPD_CONTENT_IFRAME_HOSTS and import "
                    "with --keep-embed-hosts.",
                    "info",
                )
                name = escape(title or "YouTube video")
                return (
                    f'<iframe src="https://{NOCOOKIE}/embed/{video}{escape(query)}" '
                    f'title="{name}" width="560" height="315" loading="lazy" '
                    "allowfullscreen></iframe>"
                )
        host = parts.hostname or "an unknown host"
        self.note(
            line,
            f"replaced an embed from {host} by a link to it",
            f"To embed it, add {host} to BPD_CONTENT_IFRAME_HOSTS and import again.",
        )
        if not src:
            return ""
        return (
            f'<a href="{escape(src)}">{escape(title or f"Open the embedded content ({host})")}</a>'
        )

    def _media(self, match, line):
        src = _attribute(match.group(0), "src") or _attribute(match.group(0), "data") or ""
        self.note(line, f"replaced a <{match.group(1).lower()}> element by a link",
                  "Embedded players are not kept; link to the file or a video page.")  # fmt: skip
        return f'<a href="{escape(src)}">{escape(src)}</a>' if src else ""

    def _image_html(self, src, alt, line):
        """<img> for `src`, stored through the assets; a text fallback when it cannot be."""
        try:
            if _is_external(src):
                stored = self.assets.store_external("https:" + src if src.startswith("//") else src)
                self.note(line, f"downloaded the external image {src}", level="info")
            else:
                stored = self.assets.store_local(src)
        except AssetProblem as problem:
            if _is_external(src):
                self.note(
                    line,
                    f"the external image {src} is kept as a link ({problem})",
                    "Pages may not load images from other sites; run with --fetch-external "
                    "to download it.",
                )
                return f'<a href="{escape(src)}">{escape(alt or src)}</a>'
            self.note(
                line,
                f"image not imported: {problem}",
                "Add the file to the site's folder and import again; its description is kept "
                "as text.",
            )
            return escape(alt) if alt else ""
        size = f' width="{stored.width}" height="{stored.height}"' if stored.width else ""
        return f'<img src="{escape(stored.url)}" alt="{escape(alt)}"{size}>'

    def _img(self, match, line):
        tag = match.group(0)
        src = (_attribute(tag, "src") or "").strip()
        if not src or src.startswith(settings.MEDIA_URL):
            return None
        return self._image_html(src, _attribute(tag, "alt") or "", line)

    def _markdown_image(self, match, line):
        alt, src = match.group(1), match.group(2)
        if src.startswith(settings.MEDIA_URL):
            return None
        return self._image_html(src, alt, line)

    def _file_link(self, match, line):
        url = match.group(2)
        if not _is_local_file(url) or url.startswith(settings.MEDIA_URL):
            return None
        try:
            stored = self.assets.store_local(url)
        except AssetProblem as problem:
            self.note(line, f"link to a file not imported: {problem}",
                      "Add the file to the site's folder and import again.")  # fmt: skip
            return None
        return match.group(1) + stored.url

    # -- the net under it all -----------------------------------------------------------

    def check_sanitiser(self, text, is_html, original):
        """Report elements the sanitiser would still remove (a pass above missed them)."""
        rendered = text.text if is_html else markdown.render_unsafe(text.text)
        kept = markdown.sanitise(rendered)
        before = Counter(m.lower() for m in re.findall(r"<([a-zA-Z][\w-]*)", rendered))
        after = Counter(m.lower() for m in re.findall(r"<([a-zA-Z][\w-]*)", kept))
        for tag, count in sorted(before.items()):
            lost = count - after.get(tag, 0)
            if lost <= 0 or tag == "p":
                continue
            found = re.search(rf"<{tag}\b", original, re.I)
            line = original.count("\n", 0, found.start()) + self.first_line if found else 0
            if tag in WRAPPERS:
                self.note(line, f"dropped {lost} <{tag}> wrapper(s); what they held is kept",
                          level="info")  # fmt: skip
                continue
            self.note(
                line,
                f"{lost} <{tag}> element(s) are not shown by the platform (their text is kept)",
                "Rewrite that part in Markdown.",
            )

    def convert(self, body, *, first_line, title, meta, site, is_html):
        self.first_line = first_line
        text = Text(body, first_line)
        self.liquid(text, meta=meta, site=site, is_html=is_html)
        self.headings(text, title)
        self.markup(text)
        self.check_sanitiser(text, is_html, body)
        return text.text.strip() + "\n"


def _normal(text):
    return re.sub(r"[\W_]+", " ", unescape(str(text))).strip().casefold()
