"""Lesson text: Markdown written by course authors, rendered to HTML and then sanitised.

Rendering uses markdown-it-py (CommonMark, raw HTML off) and the result goes through nh3 (the Ammonia
sanitiser) with a short allow-list, so even an imported course cannot bring scripts, event handlers, styles,
frames or `javascript:` links into a page. Images may only point at this site (lesson images are attached to
the lesson and referred to as `![alt](image:N)`, N being the image's position, 1-based).
No Django imports apart from `mark_safe`'s type: rendering is tested on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote",
    "a", "img", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"scope"}, "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_IMAGE_REF = re.compile(r"^image:(\d{1,3})$")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _shift_headings(html: str) -> str:
    """Authors write `#` for their top heading; the page already has its `<h1>`, so headings start at h2."""
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 1, 4)}>").replace(
            f"</h{level}>", f"</h{min(level + 1, 4)}>"
        )
    return html


def render_markdown(text: str, *, image_url: Callable[[int], str | None] | None = None) -> str:
    """Markdown → safe HTML. `image_url(n)` turns `image:n` references into URLs (None drops the image)."""
    html = _shift_headings(_markdown.render(text or ""))

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            match = _IMAGE_REF.match(value)
            if match is None or image_url is None:
                return None  # no images from elsewhere: they would leak the reader's address and cost data
            return image_url(int(match.group(1)))
        return value

    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES | {"image"},
        attribute_filter=attribute_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
