"""What a person reads on a page: the text nodes and the attributes shown or spoken
(title, aria-label, placeholder, alt, a button's or option's text), without markup,
scripts or styles. Form values sent back to the server are not read, so they may be codes."""

from __future__ import annotations

from html.parser import HTMLParser

SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input":
            kinds = dict(attrs)
            if kinds.get("type") in ("submit", "button") and kinds.get("value"):
                self.parts.append(kinds["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    return "\n".join(reader.parts)


def main_text(html: str) -> str:
    """The visible text of the page's <main> (the Wagtail admin's furniture left out)."""
    start = html.find("<main")
    end = html.rfind("</main>")
    return visible_text(html[start:end] if start != -1 and end != -1 else html)
