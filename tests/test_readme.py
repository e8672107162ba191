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


def token_classification_snippet(readme: str) -> str:
    section = readme.split("### Token classification", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_token_classification_snippet_is_short_and_runs(repo_root, tmp_path, monkeypatch):
    """The README's token-classification snippet, run against the real `datasets` and this clone. Only
    `transformers` is replaced by a stand-in (models cannot be downloaded here): a tokenizer that cuts every
    word into two sub-words, so the label alignment the snippet does is checked for real."""
    import sys
    import types

    code = token_classification_snippet((repo_root / "README.md").read_text(encoding="utf-8"))
    assert len([line for line in code.splitlines() if line.strip()]) < 10

    class Encoding(dict):
        def __init__(self, words):
            pieces = [k for k, w in enumerate(words) for _ in range(2)]
            super().__init__(input_ids=[0] + [1] * len(pieces) + [2])
            self._word_ids = [None, *pieces, None]

        def word_ids(self):
            return self._word_ids

    class Tokenizer:
        def __call__(self, words, is_split_into_words, truncation):
            assert is_split_into_words and truncation
            return Encoding(words)

    made = {}
    stub = types.ModuleType("transformers")
    stub.PreTrainedTokenizerBase = type("PreTrainedTokenizerBase", (), {})  # `datasets` checks it when hashing map()
    stub.AutoTokenizer = types.SimpleNamespace(from_pretrained=lambda name, **kw: Tokenizer())
    stub.AutoModelForTokenClassification = types.SimpleNamespace(
        from_pretrained=lambda name, **kw: made.update(kw) or "model")
    monkeypatch.setitem(sys.modules, "transformers", stub)
    code = code.replace('"/abs/path/to/clone"', repr(str(repo_root))).replace(
        'split="test")', f'split="test", cache_dir={str(tmp_path / "cache")!r})')
    scope: dict = {}
    exec(compile(code, "README.md snippet", "exec"), scope)
    ds, train = scope["ds"], scope["train"]
    names = ds.features["claim_tags"].feature.names
    assert made["id2label"] == dict(enumerate(names)) and names[:3] == ["O", "B-factual", "I-factual"]
    assert train.num_rows == ds.num_rows
    for row, encoded in zip(ds, train):
        assert encoded["labels"] == [-100] + [t for t in row["claim_tags"] for _ in range(2)] + [-100]
