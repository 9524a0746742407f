"""A run with nothing to do, recognised without parsing a single programme file."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Optional

from tracker.model.workspace import Workspace
from tracker.report.edition import DRAFTS, FORMATS, Outcome, RenderOptions, edition_paths
from tracker.report.run import inputs, manifest

log = logging.getLogger(__name__)


def nothing_to_do(ws: Workspace, programme_ids: tuple[str, ...], as_of: dt.date, formats: tuple[str, ...],
                  out: Path, options: RenderOptions) -> Optional[Outcome]:
    """The outcome of a run with nothing to do, found without parsing any programme file; else None.

    Sound because a programme file's validity depends only on its bytes and tracker's code, both
    recorded in the manifests: if every file in policies/ is byte for byte the one an up-to-date
    edition was rendered from, `load_all` would accept them all and nothing would be rendered.
    Any doubt (a file without a manifest, a changed byte, an id not found) gives None, and the
    caller takes the full path, which reports problems exactly as usual.
    """
    try:
        return _shortcut(ws, programme_ids, as_of, formats, out, options)
    except Exception as error:  # noqa: BLE001 - the full path will meet (and report) the same problem
        log.debug("full run: %s", error)
        return None


def _shortcut(ws: Workspace, programme_ids: tuple[str, ...], as_of: dt.date, formats: tuple[str, ...],
              out: Path, options: RenderOptions) -> Optional[Outcome]:
    formats = tuple(fmt for fmt in FORMATS if fmt in formats)
    files = ws.programme_files()
    by_file: dict[str, dict[str, Any]] = {}
    pattern = f"*/{DRAFTS}/.*-{as_of.isoformat()}.inputs.json" if options.drafts else f"*/.*-{as_of.isoformat()}.inputs.json"
    for manifest_file in sorted(out.glob(pattern)):
        recorded = manifest.read_manifest(manifest_file)
        source = recorded["inputs"].get("programme") if recorded else None
        folder = manifest_file.parent.parent if options.drafts else manifest_file.parent
        if not isinstance(source, dict) or source.get("id") != folder.name:
            continue
        if source.get("file") in by_file:
            return None  # two editions claim one file
        by_file[source["file"]] = recorded  # type: ignore[assignment]
    found: dict[str, tuple[Path, bytes, dict[str, Any]]] = {}
    for path in files:
        recorded = by_file.get(ws.display(path))
        if recorded is None or not ws.inside(path) or not path.resolve().is_file():
            return None
        source = recorded["inputs"]["programme"]
        if source["id"] in found or recorded["inputs"].get("code") != manifest.code_fingerprint():
            return None
        data = path.read_bytes()  # read, never parsed: its hash says whether it is the file recorded
        if manifest.sha256_bytes(data) != source.get("sha256"):
            return None
        found[source["id"]] = (path, data, recorded)
    wanted = list(dict.fromkeys(programme_ids)) if programme_ids else list(found)
    if any(pid not in found for pid in wanted):
        return None
    outcome = Outcome()
    shared = manifest.Shared.compute(ws, as_of, formats, options)
    for pid in wanted:
        path, data, recorded = found[pid]
        logo = recorded["inputs"]["programme"].get("logo")
        paths = {fmt: p for fmt, p in edition_paths(out, pid, as_of, options.drafts).items() if fmt in formats}
        fingerprint = inputs.fingerprint(ws, pid, path, logo, data, as_of, options)
        method = recorded["inputs"]["programme"].get("method_version")  # the same bytes: the same version
        if not manifest.is_up_to_date(recorded, manifest.edition_record(ws, fingerprint, pid, path, logo, shared,
                                                                        method), paths):
            return None
        outcome.up_to_date.extend(paths.values())
        outcome.paths.extend(paths.values())
    return outcome
