"""A run with nothing to do, recognised without parsing a single programme file."""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Optional

from tracker.model.workspace import Workspace
from tracker.report.edition import DRAFTS, FORMATS, Outcome, RenderOptions, edition_paths, other_language
from tracker.report.run import inputs, manifest

log = logging.getLogger(__name__)


def nothing_to_do(ws: Workspace, programme_ids: tuple[str, ...], as_of: dt.date, formats: tuple[str, ...],
                  out: Path, options: RenderOptions, langs: tuple[str, ...] = ()) -> Optional[Outcome]:
    """The outcome of a run with nothing to do, found without parsing any programme file; else None.

    Sound because a programme file's validity depends only on its bytes and tracker's code, both
    recorded in the manifests: if every file in policies/ is byte for byte the one up-to-date
    editions were rendered from (in every language the manifests say it is published in, each
    with the same translations), `load_all` would accept them all and nothing would be rendered.
    Any doubt (a file without a manifest, a changed byte, an id not found) gives None, and the
    caller takes the full path, which reports problems exactly as usual.
    """
    try:
        return _shortcut(ws, programme_ids, as_of, formats, out, options, langs)
    except Exception as error:  # noqa: BLE001 - the full path will meet (and report) the same problem
        log.debug("full run: %s", error)
        return None


def _shortcut(ws: Workspace, programme_ids: tuple[str, ...], as_of: dt.date, formats: tuple[str, ...],
              out: Path, options: RenderOptions, langs: tuple[str, ...]) -> Optional[Outcome]:
    formats = tuple(fmt for fmt in FORMATS if fmt in formats)
    files = ws.programme_files()
    by_file: dict[str, dict[str, dict[str, Any]]] = {}  # file -> edition language -> manifest
    folder_glob = f"*/{DRAFTS}" if options.drafts else "*"
    for manifest_file in sorted(out.glob(f"{folder_glob}/.*-{as_of.isoformat()}*.inputs.json")):
        recorded = manifest.read_manifest(manifest_file)
        source = recorded["inputs"].get("programme") if recorded else None
        folder = manifest_file.parent.parent if options.drafts else manifest_file.parent
        if not isinstance(source, dict) or source.get("id") != folder.name:
            continue
        lang = recorded["inputs"]["fingerprint"].get("lang", "")  # type: ignore[index]
        editions = by_file.setdefault(source["file"], {})
        if lang in editions:
            return None  # two editions claim one file and language
        editions[lang] = recorded  # type: ignore[assignment]
    found: dict[str, tuple[Path, bytes, dict[str, dict[str, Any]]]] = {}
    for path in files:
        editions = by_file.get(ws.display(path)) or {}
        if not editions or not ws.inside(path) or not path.resolve().is_file():
            return None
        sources = [recorded["inputs"]["programme"] for recorded in editions.values()]
        pid = sources[0]["id"]
        if pid in found or any(s["id"] != pid for s in sources) or any(
                recorded["inputs"].get("code") != manifest.code_fingerprint() for recorded in editions.values()):
            return None
        data = path.read_bytes()  # read, never parsed: its hash says whether it is the file recorded
        if any(manifest.sha256_bytes(data) != s.get("sha256") for s in sources):
            return None
        found[pid] = (path, data, editions)
    wanted = list(dict.fromkeys(programme_ids)) if programme_ids else list(found)
    if any(pid not in found for pid in wanted):
        return None
    outcome = Outcome()
    shared = manifest.Shared.compute(ws, as_of, formats, options)
    asked = set(langs)
    for pid in wanted:
        path, data, editions = found[pid]
        source = next(iter(editions.values()))["inputs"]["programme"]
        languages, language = tuple(source.get("languages") or ()), source.get("language", "")
        method = source.get("method_version")  # the same bytes: the same version
        if not languages or not language:
            return None
        asked -= set(languages)
        for lang in (tag for tag in languages if not langs or tag in langs):
            recorded = editions.get(lang)
            if recorded is None:
                return None
            logo = recorded["inputs"]["programme"].get("logo")
            suffix = other_language(lang, languages[0])
            paths = {fmt: p for fmt, p in edition_paths(out, pid, as_of, suffix, options.drafts).items()
                     if fmt in formats}
            translations = b""
            if lang != language:
                po_file = path.parent / f"{pid}.{lang}.po"
                translations = po_file.read_bytes() if po_file.is_file() else b""
            fingerprint = inputs.fingerprint(ws, pid, path, logo, data, as_of, options, lang=lang,
                                             translations=translations)
            record = manifest.edition_record(ws, fingerprint, pid, path, logo, shared, languages, language, method)
            if not manifest.is_up_to_date(recorded, record, paths):
                return None
            outcome.up_to_date.extend(paths.values())
            outcome.paths.extend(paths.values())
    if asked:
        return None  # a language no programme is published in: the full path says so
    return outcome
