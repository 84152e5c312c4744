"""Page text shown as text: every Markdown and HTML character escaped, entity mentions bold."""

from __future__ import annotations

import regex

_MARKDOWN_SPECIAL = regex.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:=\"'])")


def escape(text: str) -> str:
    """``text`` that Markdown shows literally: no link, image, tag or emphasis survives."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """Escaped ``text`` with the given character spans in bold."""
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [escape(text[last:start]), "**", escape(text[start:end]), "**"]
        last = end
    out.append(escape(text[last:]))
    return "".join(out)
