"""Read a page's POST form as a browser would submit it, unchanged."""

from html.parser import HTMLParser


def post_form_data(html, path):
    """The fields of the first POST form on the page that posts to `path` (the page
    itself, when the form has no action): {name: [values]}."""
    parser = _Forms()
    parser.feed(html)
    for action, fields in parser.forms:
        if action in {"", path}:
            return fields
    return {}


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None
        self._first_option = None
        self._textarea = None
        self._chosen = False

    def _add(self, name, value):
        self._form.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {} if (attrs.get("method") or "").lower() == "post" else None
            self._action = attrs.get("action") or ""
            return
        if self._form is None or (tag != "option" and not attrs.get("name")):
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select, self._first_option = name, None
            # A browser sends the first option of a single select when none is selected.
            self._chosen = "multiple" in attrs
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._add(self._select, value)
                self._chosen = True
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append((self._action, self._form))
            self._form = None
        elif tag == "select" and self._select:
            if not self._chosen and self._first_option is not None:
                self._add(self._select, self._first_option)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            values = self._form[self._textarea]
            # Browsers drop the newline right after <textarea>.
            values[-1] += data.removeprefix("\n") if not values[-1] else data
