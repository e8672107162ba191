"""A real Label Studio server on 127.0.0.1 for the `labelstudio` integration tests.

Label Studio 1.23.x pins pyarrow <25 and Django <5.3, so it lives in its own virtualenv:
$CASH_LS_VENV, default <repo>/.cache/label-studio-venv, created here with `python -m venv` and
`pip install label-studio==1.23.2` when absent (the only download, and only in this fixture).
The database is migrated once by `label-studio init` into a template data dir, which is copied
per session so a start takes seconds instead of a fresh ~30 s migration. If the server cannot
be installed or started, the test fails with the server log: never a silent skip.

Use from a test module: `from ls_server import label_studio_server  # noqa: F401`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

LS_VERSION = "1.23.2"
REPO = Path(__file__).resolve().parents[1]
USERNAME = "cash-tests@example.org"
PASSWORD = "cash-tests-password"
# A throwaway legacy token for a throwaway server on the loopback address.
TOKEN = "0123456789abcdef0123456789abcdef01234567"
START_TIMEOUT_S = 180


@dataclass(frozen=True)
class LabelStudioServer:
    url: str
    token: str
    log: Path

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


def venv_dir() -> Path:
    return Path(os.environ.get("CASH_LS_VENV", REPO / ".cache" / "label-studio-venv"))


def _run(cmd: list[str], log: Path, env: dict | None = None, timeout: int = 1200) -> None:
    """Run an install step; on failure, fail the test with its output."""
    with open(log, "ab") as out:
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, timeout=timeout)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(cmd)} failed (exit {result.returncode}):\n{log.read_text(errors='replace')[-4000:]}")


def ensure_venv(log: Path) -> Path:
    """The label-studio executable, installing label-studio==LS_VERSION into its own venv if absent."""
    venv = venv_dir()
    exe = venv / "bin" / "label-studio"
    if not exe.exists():
        venv.parent.mkdir(parents=True, exist_ok=True)
        _run([sys.executable, "-m", "venv", str(venv)], log)
        _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"label-studio=={LS_VERSION}"], log)
    return exe


def server_env(data_dir: Path, port: int | None = None) -> dict[str, str]:
    """A clean environment: LS reads stray USERNAME/PASSWORD/PORT/HOST, so they are dropped."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"USERNAME", "PASSWORD", "PORT", "HOST", "LABEL_STUDIO_API_KEY"}}
    env.update({
        "HOME": str(data_dir / "home"), "LABEL_STUDIO_USERNAME": USERNAME, "LABEL_STUDIO_PASSWORD": PASSWORD,
        "LABEL_STUDIO_USER_TOKEN": TOKEN, "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "", "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false", "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
    })
    if port is not None:
        env["LABEL_STUDIO_PORT"] = str(port)
    return env


def ensure_template(exe: Path, log: Path) -> Path:
    """A migrated data dir with the test user, made once by `label-studio init`."""
    template = REPO / ".cache" / f"label-studio-{LS_VERSION}-template"
    if (template / "label_studio.sqlite3").exists():
        return template
    staging = template.with_name(template.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "home").mkdir(parents=True)
    _run([str(exe), "init", "cash-tests", "--data-dir", str(staging), "--username", USERNAME,
          "--password", PASSWORD, "--user-token", TOKEN, "--enable-legacy-api-token", "--no-browser",
          "--skip-long-migrations"], log, env=server_env(staging), timeout=600)
    if not (staging / "label_studio.sqlite3").exists():
        pytest.fail(f"label-studio init made no database in {staging}:\n{log.read_text(errors='replace')[-4000:]}")
    shutil.rmtree(template, ignore_errors=True)
    staging.rename(template)
    return template


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=5) as response:
                if json.loads(response.read()).get("status") == "UP":
                    return True
        except (OSError, ValueError):
            pass
        time.sleep(1)
    return False


@pytest.fixture(scope="session")
def label_studio_server(tmp_path_factory):
    """Start Label Studio on a free 127.0.0.1 port with a copied data dir; SIGTERM it afterwards."""
    base = tmp_path_factory.mktemp("label-studio")
    log = base / "server.log"
    exe = ensure_venv(log)
    template = ensure_template(exe, log)
    data_dir = base / "data"
    shutil.copytree(template, data_dir)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [str(exe), "start", "cash-tests", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
             "--data-dir", str(data_dir), "--skip-long-migrations"],
            stdout=out, stderr=subprocess.STDOUT, env=server_env(data_dir, port), cwd=base, start_new_session=True)
    server = LabelStudioServer(url, TOKEN, log)
    try:
        if not wait_healthy(url, process, START_TIMEOUT_S):
            pytest.fail(f"Label Studio did not become healthy at {url} (exit {process.poll()}):\n{server.log_tail()}")
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
