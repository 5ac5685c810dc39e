"""Reading a definition file safely into YAML nodes that keep their line numbers.

The file is composed, never constructed: PyYAML builds node trees with marks and we build the
model ourselves, so no YAML tag can create a Python object, values like ``yes``/``no`` stay the
text the author wrote, and every problem can name its line. Anchors and aliases are refused
outright (they make "billion laughs" documents possible and have no use in a definition), as are
tags outside YAML's core schema, files that are not UTF-8 text, and files over the size limit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cse_screen.errors import QuestionnaireInvalid

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 30
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
_INT = re.compile(r"[-+]?\d+\Z")


@dataclass(frozen=True)
class Source:
    """A definition file's name as shown in messages, its bytes and their SHA-256."""

    name: str
    data: bytes
    text: str
    content_hash: str

    def fail(self, line: int, message: str) -> NoReturn:
        raise QuestionnaireInvalid(f"{self.name}:{line}: {message}")

    def fail_at(self, node: Node, message: str) -> NoReturn:
        self.fail(line_of(node), message)


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


def read_source(path: Path | str) -> Source:
    """Read and decode a definition file, refusing anything that is not a small UTF-8 text."""
    path = Path(path)
    name = str(path)
    fail = Source(name, b"", "", "").fail
    if not path.exists():
        fail(1, "no such file")
    if path.is_dir():
        fail(1, "this is a folder, not a questionnaire definition file")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        fail(1, f"the file cannot be read ({exc.strerror or type(exc).__name__})")
    if len(data) > MAX_BYTES:
        fail(1, f"the file is larger than {MAX_BYTES // 1024} KiB, too large for a definition")
    if b"\x00" in data:
        fail(data[: data.index(b"\x00")].count(b"\n") + 1, "the file is binary, not YAML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        fail(line, "the file is not UTF-8 text (save it as UTF-8)")
    return Source(name, data, text, hashlib.sha256(data).hexdigest())


class _Loader(yaml.SafeLoader):
    """SafeLoader's composer with anchors, aliases and deep nesting refused as they appear."""

    depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors and aliases (& and *) are not allowed in a definition",
                problem_mark=event.start_mark,
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise yaml.MarkedYAMLError(
                problem=f"nested more than {MAX_DEPTH} levels deep",
                problem_mark=event.start_mark,
            )
        node: Node | None = super().compose_node(parent, index)
        self.depth -= 1
        return node


def _compose_fast(text: str) -> Node | None:
    """libyaml's composer for a file the checked path would accept; None means "ask it".

    The checked composer above is pure Python and was most of the time it takes to load the
    shipped questionnaires, which the register needs before its first paint. libyaml composes
    the same node tree (same resolver, same tags and line marks) many times faster. Its events
    are scanned first for what the checks refuse (anchors, aliases, deep nesting); a file with
    any of them, or any syntax error, goes the checked way, so every refusal and every message
    stays exactly what it was.
    """
    if not getattr(yaml, "__with_libyaml__", False):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return None
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth >= MAX_DEPTH:
                    return None
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        node: Node | None = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    return node


def compose(source: Source) -> MappingNode:
    """The document's root mapping, with every node's tag checked."""
    root = _compose_fast(source.text) or _compose_checked(source)
    if root is None:
        source.fail(1, "the file is empty")
    _check_tags(source, root)
    if not isinstance(root, MappingNode):
        source.fail_at(root, "the definition must be a mapping of keys (schema, instrument, ...)")
    return root


def _compose_checked(source: Source) -> Node | None:
    """The pure-Python composer, refusing anchors, aliases and deep nesting as they appear."""
    loader: _Loader | None = None
    try:
        loader = _Loader(source.text)
        root: Node | None = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        source.fail(line, f"YAML syntax: {_problem(exc)}")
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", 0)
        source.fail(source.text[:position].count("\n") + 1, f"YAML: {_problem(exc)}")
    finally:
        if loader is not None:
            loader.dispose()
    return root


def _problem(exc: yaml.YAMLError) -> str:
    text = str(getattr(exc, "problem", None) or exc).strip().splitlines()[0]
    return text.rstrip(".")


def _check_tags(source: Source, root: Node) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in ALLOWED_TAGS:
            source.fail_at(node, f"the YAML tag '{node.tag}' is not allowed in a definition")
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


@dataclass
class Reader:
    """Typed access to nodes; every failure names the file, the line and where in the file."""

    source: Source

    def mapping(
        self, node: Node, where: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            self.source.fail_at(node, f"{where}: expected a mapping of keys")
        required = tuple(required)
        known = (*required, *optional)
        found: dict[str, Node] = {}
        for key, value in node.value:
            name = self.text(key, where)
            if name in found:
                self.source.fail_at(key, f"{where}: key '{name}' appears twice")
            if name not in known:
                self.source.fail_at(
                    key, f"{where}: unknown key '{name}' (expected one of {', '.join(known)})"
                )
            found[name] = value
        for name in required:
            if name not in found:
                self.source.fail_at(node, f"{where}: missing key '{name}'")
        return found

    def sequence(self, node: Node, where: str, allow_empty: bool = True) -> list[Node]:
        if not isinstance(node, SequenceNode):
            self.source.fail_at(node, f"{where}: expected a list")
        if not node.value and not allow_empty:
            self.source.fail_at(node, f"{where}: the list must not be empty")
        return list(node.value)

    def text(self, node: Node, where: str, allow_empty: bool = False) -> str:
        if not isinstance(node, ScalarNode):
            self.source.fail_at(node, f"{where}: expected a single value, not a list or mapping")
        value = str(node.value)
        if node.tag == _CORE + "null" and node.style is None:
            value = ""
        if not value.strip() and not allow_empty:
            self.source.fail_at(node, f"{where}: the value must not be empty")
        return value

    def texts(self, node: Node, where: str, allow_empty: bool = True) -> tuple[str, ...]:
        return tuple(self.text(n, where) for n in self.sequence(node, where, allow_empty))

    def integer(self, node: Node, where: str, minimum: int | None = None) -> int:
        value = self.text(node, where)
        if not _INT.match(value):
            self.source.fail_at(node, f"{where}: expected a whole number, found '{value}'")
        number = int(value)
        if minimum is not None and number < minimum:
            self.source.fail_at(node, f"{where}: must be at least {minimum}, found {number}")
        return number

    def boolean(self, node: Node, where: str) -> bool:
        value = self.text(node, where).lower()
        if value not in ("true", "false"):
            self.source.fail_at(node, f"{where}: expected true or false, found '{value}'")
        return value == "true"

    def choice(self, node: Node, where: str, options: Iterable[str], what: str) -> str:
        value = self.text(node, where)
        options = tuple(options)
        if value not in options:
            self.source.fail_at(
                node, f"{where}: unknown {what} '{value}' (expected one of {', '.join(options)})"
            )
        return value
