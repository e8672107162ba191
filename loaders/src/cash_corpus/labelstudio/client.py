"""Push tasks to and pull annotations from a Label Studio server through `label_studio_sdk`.

The API key comes from the environment (LABEL_STUDIO_API_KEY) only; it is never printed, logged
or written anywhere. `pull` streams the server's JSON export to a temporary file and imports it
exactly like `cash ls import`, so a pulled layer is validated the same way.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..corpus import Corpus
from ..errors import CashError, UsageError
from .config import labeling_config
from .importer import ImportStats, import_export
from .tasks import iter_tasks

API_KEY_ENV = "LABEL_STUDIO_API_KEY"
BATCH = 200


@dataclass(frozen=True)
class PushResult:
    project_id: int
    created: bool
    config_updated: bool
    imported: int
    already_there: int


def api_key_from_env() -> str:
    key = os.environ.get(API_KEY_ENV, "")
    if not key:
        raise UsageError(f"no API key: set {API_KEY_ENV} in the environment",
                         hint="Label Studio > Account & Settings > Access Token")
    return key


def _sdk():
    """label_studio_sdk, imported only when a server is contacted: it is the `[labelstudio]` extra,
    so `cash validate`, `build`, `report` and the rest of the bridge work without it."""
    try:
        import label_studio_sdk
        import label_studio_sdk.core.api_error
    except ImportError as exc:
        raise UsageError("talking to a Label Studio server needs the label-studio-sdk package",
                         hint='pip install -e ".[labelstudio]"') from exc
    return label_studio_sdk


def connect(url: str, api_key: str):
    return _sdk().LabelStudio(base_url=url.rstrip("/"), api_key=api_key)


def _api(action: str, call, *args, **kwargs):
    """Run an SDK call; a server or network failure becomes a CashError that names the action (no secrets)."""
    ApiError = _sdk().core.api_error.ApiError
    try:
        return call(*args, **kwargs)
    except ApiError as exc:
        raise CashError(f"Label Studio refused to {action}: HTTP {exc.status_code}: {str(exc.body)[:300]}") from exc
    except OSError as exc:
        raise CashError(f"cannot reach Label Studio to {action}: {exc}") from exc
    except Exception as exc:  # httpx errors are not OSErrors
        if type(exc).__module__.startswith("httpx"):
            raise CashError(f"cannot reach Label Studio to {action}: {exc}") from exc
        raise


def find_project(client, project: str):
    """A project by numeric id or by exact title, or None."""
    if project.isdigit():
        return _api(f"get project {project}", client.projects.get, id=int(project))
    for candidate in _api("list projects", client.projects.list, title=project):
        if candidate.title == project:
            return candidate
    return None


def _pushed_document_ids(client, project_id: int) -> set[str]:
    ids: set[str] = set()
    for task in _api("list tasks", client.tasks.list, project=project_id, fields="all"):
        data = task.data or {}
        if isinstance(data.get("document_id"), str):
            ids.add(data["document_id"])
    return ids


def _squeeze(xml: str) -> str:
    """The server re-serialises the config; compare without layout whitespace."""
    return "".join(xml.split())


def push(corpus: Corpus, url: str, api_key: str, title: str, layers: Iterable[str] = ()) -> PushResult:
    """Create (or update) the project `title` with the generated config; add tasks for new documents only."""
    client = connect(url, api_key)
    config = labeling_config()
    project = find_project(client, title)
    created = project is None
    config_updated = False
    if created:
        project = _api("create project", client.projects.create, title=title, label_config=config)
    elif _squeeze(project.label_config or "") != _squeeze(config):
        _api("update the labeling config", client.projects.update, id=project.id, label_config=config)
        config_updated = True
    there = set() if created else _pushed_document_ids(client, project.id)
    imported, batch = 0, []
    for task in iter_tasks(corpus, layers):
        if task["data"]["document_id"] in there:
            continue
        batch.append(task)
        if len(batch) >= BATCH:
            _api("import tasks", client.projects.import_tasks, id=project.id, request=batch, return_task_ids=True)
            imported, batch = imported + len(batch), []
    if batch:
        _api("import tasks", client.projects.import_tasks, id=project.id, request=batch, return_task_ids=True)
        imported += len(batch)
    return PushResult(project.id, created, config_updated, imported, len(there))


def download_export(url: str, api_key: str, project: str, target: Path) -> int:
    """Stream the project's JSON export (all tasks, annotations and drafts) into `target`; returns the id."""
    client = connect(url, api_key)
    found = find_project(client, project)
    if found is None:
        raise CashError(f"no Label Studio project {project!r} at {url}")

    def stream() -> None:
        with open(target, "wb") as handle:
            for chunk in client.projects.exports.download_sync(id=found.id, export_type="JSON",
                                                                download_all_tasks=True):
                handle.write(chunk)

    _api("export the project", stream)
    return found.id


def pull(corpus: Corpus, url: str, api_key: str, project: str, layer: str, *, keep_export: Path | None = None,
         **import_options) -> ImportStats:
    """Download the export and import it as `cash ls import` would (same options, same checks)."""
    with tempfile.TemporaryDirectory(prefix="cash-ls-pull-") as folder:
        export = keep_export or Path(folder) / "export.json"
        download_export(url, api_key, project, export)
        return import_export(corpus, export, layer, **import_options)
