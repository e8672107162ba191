"""The fragment tree as HTML, every piece of data escaped by construction.

`markupsafe.Markup.format` escapes each argument (text, ids, labels, notes), so no string
from the data can become markup; the Jinja2 templates around it run with autoescape on.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .layout import Node

ANNOTATION_ROLES = {"claim", "cue", "cue-attr", "source", "content"}


def element_id(layer: str, key: str) -> str:
    return f"{layer}--{key}"


def info_id(layer: str, ann: str) -> str:
    return f"info-{layer}--{ann}"


def _open_tag(node: Node, layer: str) -> Markup:
    mark = node.mark
    attrs = mark.attrs
    classes = f"m {attrs.get('cls', '')}" + ("" if node.first else " cont") + ("" if node.last else " open")
    parts = [Markup(' class="{}" data-role="{}" data-key="{}"').format(classes, mark.role, mark.key)]
    if mark.role in ANNOTATION_ROLES:
        ann = attrs.get("ann", mark.key)
        parts.append(Markup(' data-layer="{}" data-ann="{}" data-links="{}" data-diff="{}"').format(
            layer, ann, attrs.get("links", ""), attrs.get("diff", "")))
        if attrs.get("parent"):
            parts.append(Markup(' data-parent="{}"').format(attrs["parent"]))
        if node.first:
            parts.append(Markup(' id="{}" tabindex="0" title="{}" aria-describedby="{}"').format(
                element_id(layer, mark.key), attrs.get("title", ""), info_id(layer, ann)))
    if node.first and attrs.get("badge"):
        parts.append(Markup(' data-badge="{}"').format(attrs["badge"]))
    return Markup("<span{}>").format(Markup("").join(parts))


def render_tree(node: Node, layer: str) -> Markup:
    """The children of `node` as HTML: strings escaped, fragments as nested <span>s.

    Iterative (an explicit stack), so deep nesting cannot exhaust Python's recursion limit."""
    out: list[str] = []
    stack: list[tuple[Node, int]] = [(node, 0)]
    while stack:
        current, index = stack.pop()
        if index == len(current.children):
            if current is not node:
                out.append("</span>")
            continue
        stack.append((current, index + 1))
        child = current.children[index]
        if isinstance(child, str):
            out.append(escape(child))
        else:
            out.append(_open_tag(child, layer))
            stack.append((child, 0))
    return Markup("".join(out))
