"""A page's daemon.json files: merged per node, bad ones named with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.snippets.daemon_config import daemon_configs
from macros.snippets.errors import SnippetError

NODES = ["node1", "node2"]


def test_no_folder_or_no_file_means_no_configuration(tmp_path: Path) -> None:
    assert daemon_configs(None, NODES) == {}
    assert daemon_configs(tmp_path, NODES) == {}


def test_shared_file_goes_to_every_node_and_a_node_file_overrides_keys(tmp_path: Path) -> None:
    (tmp_path / "daemon.json").write_text('{"mtu": 1400, "bip": "10.66.0.1/24"}')
    (tmp_path / "daemon.node2.json").write_text('{"mtu": 1300, "allow-direct-routing": true}')
    assert daemon_configs(tmp_path, NODES) == {
        "node1": {"mtu": 1400, "bip": "10.66.0.1/24"},
        "node2": {"mtu": 1300, "bip": "10.66.0.1/24", "allow-direct-routing": True},
    }


def test_only_nodes_with_a_file_get_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "daemon.node2.json").write_text('{"allow-direct-routing": true}')
    assert daemon_configs(tmp_path, NODES) == {"node2": {"allow-direct-routing": True}}


def test_invalid_json_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "daemon.json").write_text('{\n  "mtu": 1400,\n}\n')
    with pytest.raises(SnippetError, match=r"daemon\.json:3: not valid JSON"):
        daemon_configs(tmp_path, NODES)


def test_a_list_is_not_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "daemon.json").write_text("[1, 2]")
    with pytest.raises(SnippetError, match=r"daemon\.json:1: .*JSON object"):
        daemon_configs(tmp_path, NODES)


def test_a_file_for_a_node_the_lab_lacks_is_refused(tmp_path: Path) -> None:
    (tmp_path / "daemon.node3.json").write_text("{}")
    with pytest.raises(SnippetError, match=r"daemon\.node3\.json:1: the page's lab has no node3"):
        daemon_configs(tmp_path, NODES)


def test_other_daemon_file_names_are_refused(tmp_path: Path) -> None:
    (tmp_path / "daemon.client.json").write_text("{}")
    with pytest.raises(SnippetError, match=r"daemon\.client\.json:1: name it daemon\.json"):
        daemon_configs(tmp_path, NODES)
