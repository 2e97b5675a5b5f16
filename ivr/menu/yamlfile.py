"""Read a YAML file safely, keeping the line of every key and refusing duplicates.

PyYAML silently keeps the last of two equal keys; a menu edited by several
people needs to hear about the first one instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeAlias

import yaml

Path = tuple[Any, ...]


@dataclass
class YamlFile:
    """Parsed data plus the line (1-based) where each key path appears."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicates: list[tuple[Path, int, int]] = field(default_factory=list)  # path, line, first
    # While building, one copy of each text, made apart from the parser's: a large menu
    # repeats its language codes, keys and labels thousands of times, and the checked model
    # keeps what it is given. The parser's own strings were allocated among its node tree
    # (a node and two marks per value, several times the data), and any kept would pin
    # that memory in the process for good once the tree is freed.
    texts: dict[str, str] = field(default_factory=dict, repr=False)

    def line_of(self, path: Path) -> int | None:
        """Return the line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class YamlSyntaxError(Exception):
    """The text is not YAML; carries the line and the parser's words."""

    def __init__(self, line: int | None, message: str, fix: str | None = None) -> None:
        self.line = line
        self.fix = fix
        super().__init__(message)


# libyaml's parser is ten times faster than the pure-Python one; both are safe loaders.
# (A string: yaml.CSafeLoader exists only where PyYAML was built with libyaml.)
_SafeLoader: TypeAlias = "yaml.SafeLoader | yaml.CSafeLoader"
_Loader: type[_SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> YamlFile:
    """Parse `text` with PyYAML's safe loader, recording lines and duplicate keys."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        result = YamlFile(data=None)
        if root is not None:
            result.lines[()] = root.start_mark.line + 1
            _measure(root, {})
            result.data = _build(loader, root, (), result)
        result.texts.clear()  # for the load only
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(line, f"{exc.context or ''} {exc.problem or ''}".strip()) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, str(exc)) from None
    finally:
        loader.dispose()


# A menu of thousands of nodes has tens of thousands of values; a few lines of nested
# aliases ("billion laughs") expand to billions. Past this many, the file is refused.
MAX_VALUES = 250_000
# ...and one level of aliases to one long text multiplies characters, not values. A large
# menu's words run to a few megabytes at most.
MAX_EXPANDED_CHARS = 20_000_000


def _measure(node: yaml.Node, sizes: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """The values and characters `node` expands to, with each alias and each `<<:` merge
    counted every time it is used; too many is refused before anything is expanded (a
    merge is copied as it is applied, so a few lines of nested merges would otherwise take
    gigabytes before a count made while building could stop them)."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = (1, 0)  # a node inside itself (a recursive anchor) counts once
    values, chars = 1, 0
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        children = node.value if isinstance(node, yaml.SequenceNode) else chain(*node.value)
        for child in children:
            more, longer = _measure(child, sizes)
            values, chars = values + more, chars + longer
    else:
        chars = len(node.value)
    if values > MAX_VALUES:
        raise YamlSyntaxError(
            node.start_mark.line + 1,
            f"the file expands to more than {MAX_VALUES:,} values through YAML aliases (*name) "
            "and merges (<<:)",
            "write the values out instead of nesting aliases",
        )
    if chars > MAX_EXPANDED_CHARS:
        raise YamlSyntaxError(
            node.start_mark.line + 1,
            f"the file expands to more than {MAX_EXPANDED_CHARS:,} characters through YAML "
            "aliases (*name)",
            "write the values out instead of repeating aliases",
        )
    sizes[id(node)] = (values, chars)
    return values, chars


def _build(loader: _SafeLoader, node: yaml.Node, path: Path, out: YamlFile) -> Any:
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # applies `<<:` merge keys
        result: dict[Any, Any] = {}
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, out)
            if isinstance(key, list | dict):
                raise YamlSyntaxError(key_node.start_mark.line + 1, "a key must be a plain value")
            line = key_node.start_mark.line + 1
            # Paths use text for numbers, as validators report `1:` as option '1'.
            step = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
            if key in first:
                out.duplicates.append((path + (step,), line, first[key]))
            first.setdefault(key, line)
            out.lines[path + (step,)] = line
            result[key] = _build(loader, value_node, path + (step,), out)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            out.lines[path + (index,)] = item.start_mark.line + 1
            items.append(_build(loader, item, path + (index,), out))
        return items
    return _construct(loader, node, out)


def _construct(loader: _SafeLoader, node: yaml.Node, out: YamlFile) -> Any:
    """A scalar's value; a value PyYAML cannot build (2026-13-01) is a syntax error here."""
    try:
        value = loader.construct_object(node, deep=True)
        if type(value) is not str:
            return value
        if value not in out.texts:
            out.texts[value] = value.encode().decode()  # a copy: see YamlFile.texts
        return out.texts[value]
    except (ValueError, TypeError, OverflowError) as exc:
        raise YamlSyntaxError(
            node.start_mark.line + 1,
            f"cannot read {node.value!r}: {exc}",
            "write a valid value; dates are YYYY-MM-DD",
        ) from None
