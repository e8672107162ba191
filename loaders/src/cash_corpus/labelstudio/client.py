"""Push tasks to and pull annotations from a Label Studio server through `label_studio_sdk`.

The API key comes from the environment (LABEL_STUDIO_API_KEY) only; it is never printed, logged
or written anywhere. `pull` streams the server's JSON export to a temporary file and imports it
exactly like `cash ls import`, so a pulled layer is validated the same way.
"""

from __future__ import annotations

import os
import re
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
class StaleTask:
    """A task whose text is no longer the corpus text, kept because it holds annotations."""

    task_id: int
    document_id: str
    annotations: int  # submitted annotations and drafts

    def __str__(self) -> str:
        return f"task {self.task_id} (document {self.document_id}, {self.annotations} annotation(s))"


@dataclass(frozen=True)
class PushResult:
    project_id: int
    created: bool
    config_updated: bool
    imported: int
    already_there: int
    updated: int = 0                 # tasks without annotations whose changed text was replaced in place
    predictions_added: int = 0
    predictions_refreshed: int = 0
    stale: tuple[StaleTask, ...] = ()
    overlap: int | None = None       # annotators per task (maximum_annotations), when set


@dataclass
class _ExistingTask:
    id: int
    document_id: str
    text_sha256: str | None
    predictions: dict[str, int]      # model_version -> prediction id
    annotations: int


def api_key_from_env() -> str:
    key = os.environ.get(API_KEY_ENV, "")
    if not key:
        raise UsageError(f"no API key: set {API_KEY_ENV} in the environment",
                         hint="Label Studio > Account & Settings > Access Token")
    # An HTTP header takes printable ASCII on one line; anything else would make the HTTP library
    # fail with a message that quotes the header, key included. Say so without showing the key.
    if not (key.isascii() and key.isprintable() and not any(c.isspace() for c in key)):
        raise UsageError(f"{API_KEY_ENV} is not a valid API key: it must be printable ASCII on one line, "
                         "without spaces (the value is not shown)",
                         hint="copy the token again from Label Studio > Account & Settings > Access Token")
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
        raise CashError(f"Label Studio refused to {action}: HTTP {exc.status_code}",
                        hint="the server log says why (the response body is not shown: it may hold a secret)") from exc
    except OSError as exc:
        raise CashError(f"cannot reach Label Studio to {action}: {exc}") from exc
    except Exception as exc:  # httpx errors are not OSErrors
        if type(exc).__module__.startswith("httpx"):
            raise CashError(f"cannot reach Label Studio to {action}: {exc}") from exc
        raise


def find_project(client, project: str):
    """A project by exact title, else (for an all-digit name that is no title) by numeric id, or None."""
    for candidate in _api("list projects", client.projects.list, title=project):
        if candidate.title == project:
            return candidate
    if project.isdigit():
        from label_studio_sdk.core.api_error import ApiError

        def by_id():
            try:
                return client.projects.get(id=int(project))
            except ApiError as exc:
                if exc.status_code == 404:
                    return None
                raise
        return _api(f"get project {project}", by_id)
    return None


def _existing_tasks(client, project_id: int) -> dict[str, list[_ExistingTask]]:
    """document id -> the project's tasks for it (text version, predictions by model version, annotations)."""
    found: dict[str, list[_ExistingTask]] = {}
    for task in _api("list tasks", client.tasks.list, project=project_id, fields="all"):
        data = task.data or {}
        if not isinstance(data.get("document_id"), str):
            continue
        predictions = {}
        for prediction in task.predictions or []:
            version = prediction.model_version if hasattr(prediction, "model_version") else prediction.get("model_version")
            pid = prediction.id if hasattr(prediction, "id") else prediction.get("id")
            predictions[str(version)] = pid
        annotations = len(task.annotations or []) + len(task.drafts or [])
        found.setdefault(data["document_id"], []).append(
            _ExistingTask(task.id, data["document_id"], data.get("text_sha256"), predictions, annotations))
    return found


def _squeeze(xml: str) -> str:
    """The server re-serialises the config; compare without layout whitespace."""
    return "".join(xml.split())


def _layer_of(model_version: str) -> str | None:
    """The layer a CASH prediction came from (`<layer>@<fingerprint>`, or 1.0.0's `<layer> (<provenance>)`),
    None for anything else."""
    layer, at, _ = model_version.partition("@")
    if at:
        return layer
    from ..schema import label_names
    legacy = re.match(r"^([a-z0-9][a-z0-9_-]*) \(([a-z]+)[;)]", model_version)
    return legacy.group(1) if legacy and legacy.group(2) in label_names("provenance_method") else None


class _Sync:
    """Predictions of one existing task made equal to the layers pushed now."""

    def __init__(self, client) -> None:
        self.client, self.added, self.refreshed = client, 0, 0

    def predictions(self, task: _ExistingTask, wanted: list[dict], project_id: int) -> None:
        for prediction in wanted:
            version = prediction["model_version"]
            if version in task.predictions:
                continue
            layer = _layer_of(version)
            old = {v: pid for v, pid in task.predictions.items() if layer and _layer_of(v) == layer}
            for pid in old.values():
                _api(f"delete prediction {pid} of task {task.id}", self.client.predictions.delete, id=pid)
            self.refreshed += bool(old)
            self.added += not old
            scored = {"score": prediction["score"]} if "score" in prediction else {}
            made = _api(f"add a prediction to task {task.id}", self.client.predictions.create, task=task.id,
                        project=project_id, result=prediction["result"], model_version=version, **scored)
            task.predictions = {v: pid for v, pid in task.predictions.items() if v not in old}
            task.predictions[version] = made.id


def push(corpus: Corpus, url: str, api_key: str, title: str, layers: Iterable[str] = (),
         overlap: int | None = None) -> PushResult:
    """Keep the project `title` in step with the corpus (creating it with the generated config if needed).

    - a new document gets a task (with a prediction per layer that annotates it);
    - a task whose text is the corpus text gets the predictions it lacks, and a prediction from an
      older version of a layer is replaced (`model_version` is `<layer>@<layer file fingerprint>`);
    - a task whose text changed (sha256) is updated in place when nobody annotated it; otherwise a
      new task is added for the new text and the old one is kept and reported as stale (its
      annotations are not lost; `cash ls import` refuses it unless told to skip it);
    - `overlap` sets how many annotators label each task (the project's maximum_annotations).
    """
    if overlap is not None and overlap < 1:
        raise UsageError(f"--overlap must be at least 1, not {overlap}")
    client = connect(url, api_key)
    config = labeling_config()
    project = find_project(client, title)
    created = project is None
    config_updated = False
    if created:
        options = {} if overlap is None else {"maximum_annotations": overlap}
        project = _api("create project", client.projects.create, title=title, label_config=config, **options)
    else:
        changes = {}
        if _squeeze(project.label_config or "") != _squeeze(config):
            changes["label_config"] = config
            config_updated = True
        if overlap is not None and getattr(project, "maximum_annotations", None) != overlap:
            changes["maximum_annotations"] = overlap
        if changes:
            _api("update the project", client.projects.update, id=project.id, **changes)
    existing = {} if created else _existing_tasks(client, project.id)
    sync = _Sync(client)
    imported, already, updated, batch = 0, 0, 0, []
    stale: list[StaleTask] = []
    for task in iter_tasks(corpus, layers):
        data = task["data"]
        tasks_for_doc = existing.get(data["document_id"], [])
        current = [t for t in tasks_for_doc if t.text_sha256 == data["text_sha256"]]
        outdated = [t for t in tasks_for_doc if t.text_sha256 != data["text_sha256"]]
        if current:
            already += 1
            sync.predictions(current[0], task.get("predictions", []), project.id)
        else:
            reusable = next((t for t in outdated if t.annotations == 0), None)
            if reusable is not None:
                _api(f"update the text of task {reusable.id}", client.tasks.update, id=str(reusable.id), data=data)
                for pid in reusable.predictions.values():
                    _api(f"delete prediction {pid} of task {reusable.id}", client.predictions.delete, id=pid)
                reusable.predictions = {}
                sync.predictions(reusable, task.get("predictions", []), project.id)
                outdated.remove(reusable)
                updated += 1
            else:
                batch.append(task)
        stale += [StaleTask(t.id, t.document_id, t.annotations) for t in outdated]
        if len(batch) >= BATCH:
            _api("import tasks", client.projects.import_tasks, id=project.id, request=batch, return_task_ids=True)
            imported, batch = imported + len(batch), []
    if batch:
        _api("import tasks", client.projects.import_tasks, id=project.id, request=batch, return_task_ids=True)
        imported += len(batch)
    return PushResult(project.id, created, config_updated, imported, already, updated, sync.added, sync.refreshed,
                      tuple(stale), overlap)


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
        return import_export(corpus, export, layer, emails=user_emails(connect(url, api_key)), **import_options)


def user_emails(client) -> dict[int, str]:
    """Label Studio user id -> e-mail, so submitted annotations (which name a numeric id) and drafts
    (which name an e-mail) of one person land in one layer. Empty if the server will not list users
    (the import then falls back to numeric ids and says so in the provenance)."""
    try:
        users = _api("list users", client.users.list)
    except CashError:
        return {}
    return {user.id: user.email for user in users if isinstance(user.id, int) and getattr(user, "email", None)}
