"""The shipped definitions are composed by libyaml, into exactly the tree the checked composer
makes; anything the checks refuse still goes the checked way, with its own message."""

from __future__ import annotations

import pytest
import yaml

from cse_screen.core import yaml_nodes
from cse_screen.core.registry import default_folder
from cse_screen.errors import QuestionnaireInvalid

SHIPPED = sorted(default_folder().glob("*.yaml"))
needs_libyaml = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")


def _tree(node):
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.start_mark.line, node.value)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, node.start_mark.line, [_tree(n) for n in node.value])
    return (node.tag, node.start_mark.line, [(_tree(k), _tree(v)) for k, v in node.value])


@needs_libyaml
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_definitions_take_the_fast_path_to_the_same_tree(path):
    source = yaml_nodes.read_source(path)
    fast = yaml_nodes._compose_fast(source.text)
    assert fast is not None
    assert _tree(fast) == _tree(yaml_nodes._compose_checked(source))


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "root:" + "".join(f"\n{'  ' * (i + 1)}k{i}:" for i in range(40)) + " 1\n",
        "a: [1, 2\n",
    ],
    ids=["alias", "deep", "syntax"],
)
def test_what_the_checks_refuse_goes_the_checked_way(text):
    assert yaml_nodes._compose_fast(text) is None
    source = yaml_nodes.Source("q.yaml", text.encode(), text, "")
    with pytest.raises(QuestionnaireInvalid, match=r"^q\.yaml:\d+: "):
        yaml_nodes.compose(source)
