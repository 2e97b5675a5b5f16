"""Draw the menu tree as a Mermaid flowchart."""

from __future__ import annotations

from ivr.menu.loading import Menus
from ivr.menu.schema import (
    AnswerNode,
    AnyNode,
    CallbackNode,
    DialNode,
    HangupNode,
    HoursNode,
    MenuNode,
    MessageNode,
    RecordNode,
)

_SHAPES = {
    MenuNode: ('{{"', '"}}'),
    AnswerNode: ('[["', '"]]'),
    MessageNode: ('["', '"]'),
    HoursNode: ('{"', '"}'),
    DialNode: ('[/"', '"/]'),
    RecordNode: ('[("', '")]'),
    CallbackNode: ('[("', '")]'),
    HangupNode: ('(["', '"])'),
}


def _label(text: str) -> str:
    # Mermaid reads '#' as the start of an entity and '"' as the end of a label.
    return text.replace("#", "#35;").replace('"', "#quot;")


def mermaid(menus: Menus, highlight: str | None = None) -> str:
    """Return a Mermaid flowchart of every node and the ways between them."""
    lines = ["flowchart TD"]
    first = menus.languages[0]
    for node_id, node in menus.nodes.items():
        opening, closing = _SHAPES[type(node)]
        kind: str = node.type
        if isinstance(node, HoursNode):
            kind = f"hours: {node.schedule}"
        title = ""
        if isinstance(node, MenuNode) and node.prompt:
            title = node.prompt.get(first, "")
        elif isinstance(node, AnswerNode | MessageNode | HangupNode) and node.say:
            title = node.say.get(first, "")
        title = title[:14] + ("…" if len(title) > 14 else "")
        text = f"{node_id}<br/><small>{kind}</small>" + (f"<br/>{title}" if title else "")
        lines.append(f"  {node_id}{opening}{_label(text)}{closing}")
    for node_id, node in menus.nodes.items():
        for label, target, dashed in _links(node):
            arrow = "-.->" if dashed else "-->"
            lines.append(f'  {node_id} {arrow}|"{_label(label)}"| {target}')
    keys = {}
    for plan in menus.plans.values():
        for key, action in plan.keys.items():
            if isinstance(action, str):
                keys[action] = key
    if keys:
        listed = ", ".join(f"{key} {action}" for action, key in keys.items())
        lines.append(f"  %% global keys in every menu unless turned off: {_label(listed)}")
    if highlight in menus.nodes:
        lines.append("  classDef current fill:#ffe08a,stroke:#d48806,stroke-width:3px")
        lines.append(f"  class {highlight} current")
    return "\n".join(lines) + "\n"


def _links(node: AnyNode) -> list[tuple[str, str, bool]]:
    if isinstance(node, MenuNode):
        links = [(key, o.to, False) for key, o in node.options.items()]
        return [*links, ("too many tries", node.on_max, True)] if node.on_max else links
    if isinstance(node, AnswerNode):
        links = [(key, o.to, False) for key, o in node.options.items()]
        return [*links, ("# / silence", node.back, True)] if node.back else links
    if isinstance(node, MessageNode | RecordNode):
        return [("then", node.next, False)] if node.next else []
    if isinstance(node, CallbackNode):
        links = [("then", node.next, False)] if node.next else []
        return [*links, ("too many tries", node.on_max, True)] if node.on_max else links
    if isinstance(node, HoursNode):
        return [("open", node.open, False), ("closed", node.closed, False)]
    if isinstance(node, DialNode):
        outcomes: dict[str, list[str]] = {}
        for status, target in (
            ("completed", node.completed),
            ("no-answer", node.no_answer),
            ("busy", node.busy),
            ("failed", node.failed),
        ):
            if target:
                outcomes.setdefault(target, []).append(status)
        return [
            (" / ".join(names), target, names != ["completed"])
            for target, names in outcomes.items()
        ]
    return []
