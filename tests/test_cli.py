"""The command line: every command and subcommand has --help; errors exit non-zero with a location."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from cash_corpus.cli import main, make_parser


def command_paths(parser: argparse.ArgumentParser, prefix=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name)
                yield from command_paths(sub, (*prefix, name))


ALL_COMMANDS = sorted(set(command_paths(make_parser())))


def test_the_documented_commands_exist():
    top = {path[0] for path in ALL_COMMANDS}
    assert {"add", "validate", "build", "report", "agreement", "ls", "generate", "manifest"} <= top
    assert {("ls", sub) for sub in ("config", "tasks", "import", "push", "pull")} <= set(ALL_COMMANDS)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p))
def test_every_command_has_help(path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*path, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: cash") and " ".join(path) in out


def test_the_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "cash_corpus.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "COMMAND" in result.stdout


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2


def test_a_missing_root_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CASH_ROOT", str(tmp_path / "nowhere"))
    assert main(["manifest", "--check"]) == 2
    assert "CASH_ROOT=" + str(tmp_path / "nowhere") + " holds no corpus/corpus.json" in capsys.readouterr().err


def test_json_output_and_verbose_name_the_root_in_use(small_corpus, capsys):
    import json as _json
    from cash_corpus.cli import main as cli_main
    assert cli_main(["--root", str(small_corpus), "--verbose", "validate", "--json"]) == 0
    captured = capsys.readouterr()
    assert _json.loads(captured.out)["root"] == str(small_corpus.resolve())
    assert f"corpus root {small_corpus.resolve()}" in captured.err
