"""Standoff spans to nested HTML elements, sliced by code points in Python.

The browser never sees an offset: every mark (claim, cue, attribution part, zone, sentence)
becomes an element around exactly `text[start:end]`, cut here with Python string slicing,
which counts code points like the corpus does. JavaScript string indexes count UTF-16 units
and would shift every span after an emoji or a mathematical letter.

Spans that nest become nested elements; spans that cross are split at the crossing point
into fragments that share the mark's key, so the concatenated text of a mark's fragments is
always `text[start:end]`, and every fragment's nesting in the DOM is true of the data.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

# When two marks cover the same code points, the lower rank is the outer element.
ROLE_RANK = {"zone": 0, "sentence": 1, "content": 2, "claim": 3, "source": 4, "cue-attr": 5, "cue": 6}


@dataclass(frozen=True)
class Mark:
    """One span to draw: `key` names the annotation (and role), `attrs` are its data for the page."""

    start: int
    end: int
    role: str
    key: str
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Node:
    """An element of the rendered text: a fragment of `mark`, or the root (mark None)."""

    mark: Mark | None
    start: int
    end: int
    first: bool = True
    last: bool = True
    children: list["Node | str"] = field(default_factory=list)


def _order(mark: Mark, start: int) -> tuple:
    return (start, -mark.end, ROLE_RANK.get(mark.role, 9), mark.key)


def layout(text: str, marks: list[Mark]) -> Node:
    """The tree of fragments over `text`; text between children is kept as plain strings.

    Marks must satisfy 0 <= start < end <= len(text) (checked by the caller, located).
    """
    root = Node(None, 0, len(text))
    heap = [(_order(m, m.start), m.start, index, m) for index, m in enumerate(marks)]
    heapq.heapify(heap)
    counter = len(marks)
    stack = [root]
    cursor = [0]  # code point up to which text was emitted in the innermost open node
    while heap:
        _, start, _, mark = heapq.heappop(heap)
        while stack[-1].end <= start and len(stack) > 1:
            _close(text, stack, cursor)
        parent = stack[-1]
        end = mark.end
        if end > parent.end:  # crosses the innermost open element: cut here, continue later
            heapq.heappush(heap, (_order(mark, parent.end), parent.end, counter, mark))
            counter += 1
            end = parent.end
        if start > cursor[-1]:
            parent.children.append(text[cursor[-1]:start])
        node = Node(mark, start, end, first=start == mark.start, last=end == mark.end)
        parent.children.append(node)
        cursor[-1] = start
        stack.append(node)
        cursor.append(start)
    while len(stack) > 1:
        _close(text, stack, cursor)
    if cursor[-1] < len(text):
        root.children.append(text[cursor[-1]:])
    return root


def _close(text: str, stack: list[Node], cursor: list[int]) -> None:
    node = stack.pop()
    position = cursor.pop()
    if position < node.end:
        node.children.append(text[position:node.end])
    cursor[-1] = node.end


def fragments_text(node: Node, key: str) -> str:
    """The text of every fragment of `key` in document order (the test oracle's Python twin)."""
    out: list[str] = []

    def walk(n: Node, inside: bool) -> None:
        for child in n.children:
            if isinstance(child, str):
                if inside:
                    out.append(child)
            else:
                walk(child, inside or (child.mark is not None and child.mark.key == key))
    walk(node, False)
    return "".join(out)
