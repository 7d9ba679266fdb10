"""The aliases file: a person's decisions about which names are one actor, kept beside a
tracker's mapping so that every import of the tracker makes them again.

An import suggests (never makes) the merges it is unsure of: near misses, an acronym beside a
full name, a name "formerly" another. The aliases file settles them, each entry a pair of
names (or actor ids) as the import report writes them:

    same_as:         # one actor: the first name is taken as the second
      - [DfT, Department for Transport]
    not_same_as:     # two actors: never merged, never suggested again
      - [Acme Services (UK), Acme Services (US)]
    successor_of:    # two actors, the first the successor of the second (dcterms:replaces)
      - [National Highways, Highways England]

Problems are reported with the file's line, like problems in a mapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml import MappingNode, Node, ScalarNode, SequenceNode

from graph.ingestion.review_yaml import InvalidReviewFile, Problem, yaml_problem
from graph.store.errors import InvalidInput

KINDS = ("same_as", "not_same_as", "successor_of")


@dataclass(frozen=True)
class ActorAliases:
    """The decisions of an aliases file, as pairs of names as written."""

    same_as: tuple[tuple[str, str], ...] = ()
    not_same_as: tuple[tuple[str, str], ...] = ()
    successor_of: tuple[tuple[str, str], ...] = ()
    file: str | None = field(default=None, compare=False)


def read_aliases(path: Path) -> ActorAliases:
    """Read an aliases file; raise InvalidReviewFile listing every problem with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path}: not UTF-8 text: {error}") from error
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise InvalidReviewFile(str(path), [yaml_problem(error, text, str(path))]) from error
    problems: list[Problem] = []
    found: dict[str, list[tuple[str, str]]] = {kind: [] for kind in KINDS}
    if root is not None and not isinstance(root, MappingNode):
        problems.append(Problem(str(path), root.start_mark.line + 1, "(file)",
                                f"expected the keys {', '.join(KINDS)}, each with a list of pairs of names"))
    for key_node, value_node in root.value if isinstance(root, MappingNode) else []:
        kind = str(key_node.value)
        if kind not in KINDS:
            problems.append(Problem(str(path), key_node.start_mark.line + 1, kind,
                                    f"unknown key {kind!r} (known: {', '.join(KINDS)})"))
            continue
        for item in value_node.value if isinstance(value_node, SequenceNode) else [value_node]:
            pair = _pair(item)
            if pair is None:
                problems.append(Problem(str(path), item.start_mark.line + 1, kind,
                                        "expected a pair of names, such as [DfT, Department for Transport]"))
            else:
                found[kind].append(pair)
    if problems:
        raise InvalidReviewFile(str(path), problems)
    return ActorAliases(tuple(found["same_as"]), tuple(found["not_same_as"]), tuple(found["successor_of"]),
                        file=str(path))


def _pair(node: Node) -> tuple[str, str] | None:
    if not isinstance(node, SequenceNode) or len(node.value) != 2:
        return None
    names = [str(item.value).strip() for item in node.value if isinstance(item, ScalarNode)]
    if len(names) != 2 or not all(names) or names[0] == names[1]:
        return None
    return names[0], names[1]
