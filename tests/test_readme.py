"""README.md promises exactly two commands for a fresh machine; CI runs the second one verbatim."""

from __future__ import annotations

import re


def fresh_machine_commands(readme: str) -> list[str]:
    section = readme.split("## Two commands on a fresh machine", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_readme_gives_exactly_two_commands(repo_root):
    commands = fresh_machine_commands((repo_root / "README.md").read_text(encoding="utf-8"))
    assert len(commands) == 2
    install_and_report, run_tests = commands
    assert "pip install" in install_and_report and install_and_report.endswith("cash report")
    assert "pytest" in run_tests


def test_ci_runs_the_readme_test_command(repo_root):
    commands = fresh_machine_commands((repo_root / "README.md").read_text(encoding="utf-8"))
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()
    assert "set -euo pipefail" in ci


def test_the_first_command_installs_the_core_only_and_the_readme_states_the_sizes(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    install_and_report = fresh_machine_commands(readme)[0]
    assert 'pip install -e . ' in install_and_report and "[" not in install_and_report
    section = readme.split("## Two commands on a fresh machine", 1)[1].split("\n## ", 1)[0]
    sizes = re.findall(r"\b(\d+) MB\b", section)
    assert len(sizes) >= 2 and int(sizes[0]) < int(sizes[1]), "state the core and the test venv sizes (du -sh)"


def test_readme_warns_about_load_dataset_on_dot_and_says_who_annotated(repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert 'load_dataset(".", "claims")' in readme and "dataset_name should be specified but got None" in readme
    assert "All annotations were made by LLM agents" in readme
    assert "cash release get" in readme and "release fingerprint" in readme
