"""Creating a new workspace from the programme shipped with the package."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from tracker.edit import atomic
from tracker.errors import WorkspaceError
from tracker.model.spec import json_schema

DEFAULT_PROGRAMME = "digital-silk-road.yaml"
#: Its translations (its editions are published in English and Simplified Chinese).
DEFAULT_TRANSLATIONS = ("digital-silk-road.zh-Hans.po",)
SCHEMA_FILE = "programme.schema.json"


def default_programme() -> bytes:
    return resources.files("tracker").joinpath("data", DEFAULT_PROGRAMME).read_bytes()


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2) + "\n"


def create_workspace(directory: Path) -> list[Path]:
    """Write policies/ (default programme and schema) and an empty reports/; return files made."""
    policies = directory / "policies"
    target = policies / DEFAULT_PROGRAMME
    if target.exists() or target.is_symlink():
        raise WorkspaceError(f"{target}: already exists; not overwritten")
    if directory.exists() and not directory.is_dir():
        raise WorkspaceError(f"{directory}: not a folder")
    (directory / "reports").mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(target, default_programme())
    written = [target]
    for name in DEFAULT_TRANSLATIONS:
        path = policies / name
        if not path.exists():
            atomic.write_bytes(path, resources.files("tracker").joinpath("data", name).read_bytes())
            written.append(path)
    atomic.write_text(policies / SCHEMA_FILE, schema_text())
    return [*written, policies / SCHEMA_FILE, directory / "reports"]
