"""The documentation keeps up with the code: every command has help and is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gravemap.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_text(name):
    command = main.commands[name]
    assert command.help and len(command.help.strip()) > 20
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert param.help, f"{name} {param.opts[0]} has no help text"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name):
    assert f"gravemap {name}" in README


def test_quickstart_is_exactly_make_map_and_make_test():
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.S).group(1)
    assert block.split("\n")[:-1] == ["make map", "make test"]


def test_the_design_commands_all_exist():
    expected = {
        "add",
        "status",
        "cite",
        "edit",
        "remove",
        "list",
        "show",
        "validate",
        "geocode",
        "import",
        "export",
        "render",
    }
    assert expected <= set(main.commands)


def _readme_commands() -> list[list[str]]:
    """The README's `gravemap ...` example commands that change or read data, as argv lists."""
    import shlex

    commands = []
    for block in re.findall(r"```\n(.*?)```", README, re.S):
        for command in block.replace("\\\n", " ").splitlines():
            if command.startswith("gravemap ") and "..." not in command:
                commands.append(shlex.split(command, comments=True)[1:])
    return commands


def test_readme_examples_run(tmp_path, monkeypatch):
    """Every complete example in the README's tour runs, in order, against an empty file."""
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    (tmp_path / "places.txt").write_text("Ahwaz\nاهواز\n", encoding="utf-8")
    ngo = Path(__file__).parent / "data" / "exchange" / "ngo_sites.csv"  # the import tour's sheet
    (tmp_path / "ngo.csv").write_bytes(ngo.read_bytes())
    runner = CliRunner()
    data = tmp_path / "sites.geojson"
    ran = []
    for argv in _readme_commands():
        if argv[0] == "remove":
            argv = [*argv, "--yes"]
        result = runner.invoke(main, ["--data", str(data), *argv])
        assert result.exit_code == 0, (argv, result.output)
        ran.append(argv[0])
    assert {"geocode", "add", "status", "edit", "remove"} <= set(ran)


def test_code_passes_ruff():
    """Lint and format are part of the suite, so a style slip fails `make test` too."""
    import subprocess
    import sys

    paths = [str(ROOT / p) for p in ("src", "tests", "benchmarks")]
    ruff = [sys.executable, "-m", "ruff"]
    check = subprocess.run([*ruff, "check", *paths], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run([*ruff, "format", "--check", *paths], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout
