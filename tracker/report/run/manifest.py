"""What an edition's bytes depend on, recorded beside it, so an unchanged edition is not rendered again.

An edition `reports/<id>/<id>-<as-of>.<format>` (`<id>-<as-of>.<lang>.<format>` in a language
other than the primary, in `drafts/` for a preview) is up to date when the manifest beside it,
`reports/<id>/.<id>-<as-of>.inputs.json` (named the same way), records exactly the inputs this
run would render it from, and every output it records still has the bytes it recorded. The
inputs are:

- the edition's `inputs.fingerprint`, which decides what `inputs.gather` collects: the programme
  file's bytes, the previous edition compared with (or --since), the file's latest git commit
  and whether it has changes since, the logo, the template folder and PDF variant, the lines of
  archive/<programme>/checks.jsonl and captures.jsonl dated on or before the as-of date (by
  their hash; a later check leaves the edition alone), whether it is a preview with drafts, the
  method version of the edition compared with, and for an edition in another language, that
  language and its PO file's bytes (any field added there later is recorded too);
- the files in --template-dir (their names and bytes) and the render options;
- the as-of date and the formats asked for;
- tracker's version and a fingerprint of its own package files (code, default templates and
  stylesheet, the catalogs of its own words in tracker/locale/), the versions of the Python
  libraries that shape the bytes, and those of the system libraries and fonts (Pango, HarfBuzz,
  fontconfig, FreeType, the font packages: tracker/sysdeps.py), so that a rerun after a font
  upgrade renders again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from tracker import __version__
from tracker.errors import display_path
from tracker.model.workspace import Workspace
from tracker.report.edition import DRAFTS, RenderOptions, edition_stem
from tracker.report.run import inputs
from tracker.sysdeps import system_versions

MANIFEST_VERSION = 1
# distribution name -> module name
LIBRARIES = {"weasyprint": "weasyprint", "pydyf": "pydyf", "tinycss2": "tinycss2", "cssselect2": "cssselect2",
             "tinyhtml5": "tinyhtml5", "fonttools": "fontTools", "jinja2": "jinja2", "markupsafe": "markupsafe"}
PACKAGE = Path(__file__).resolve().parent.parent
LONG = 200  # text longer than this is recorded by its hash (a logo's data: URL)


def manifest_path(out: Path, programme_id: str, as_of: dt.date, lang: Optional[str] = None,
                  drafts: bool = False) -> Path:
    """`.<id>-<as-of>.inputs.json` beside the edition; `.<id>-<as-of>.<lang>.inputs.json` for a
    language other than the primary; in `drafts/` for a preview with drafts, beside it."""
    folder = out / programme_id / DRAFTS if drafts else out / programme_id
    return folder / f".{edition_stem(programme_id, as_of, lang)}.inputs.json"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> Optional[str]:
    """The file's SHA-256, or None when it cannot be read."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def sha256_tree(folder: Path) -> str:
    """One SHA-256 over every file under `folder`: relative names and contents, in name order."""
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            digest.update((sha256_file(path) or "unreadable").encode("ascii") + b"\0")
    else:
        digest.update(b"missing")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """tracker's own code, templates and data: a change to any of them changes every edition."""
    return sha256_tree(PACKAGE)


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that shape the bytes; nothing is imported.

    Read from the `NAME-VERSION.dist-info` folder beside each package (a directory listing),
    falling back on importlib.metadata, which costs more to import than a report takes to
    check (about 10 ms).
    """
    versions = {}
    for dist, module in LIBRARIES.items():
        versions[dist] = _dist_info_version(dist, module) or _metadata_version(dist)
    return versions


def _dist_info_version(dist: str, module: str) -> Optional[str]:
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    site = Path(spec.origin).resolve().parent.parent
    prefix = dist.lower().replace("-", "_") + "-"
    try:
        found = [p.name for p in site.iterdir() if p.name.lower().startswith(prefix) and p.name.endswith(".dist-info")]
    except OSError:
        return None
    return found[0][len(prefix):-len(".dist-info")] if len(found) == 1 else None


def _metadata_version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


@dataclasses.dataclass(frozen=True)
class Shared:
    """The inputs every edition of one run shares, computed once per run."""

    as_of: dt.date
    formats: tuple[str, ...]
    options: RenderOptions
    recorded_options: dict[str, Any]
    templates: Optional[str]

    @classmethod
    def compute(cls, ws: Workspace, as_of: dt.date, formats: tuple[str, ...], options: RenderOptions) -> "Shared":
        template_dir = options.template_dir
        recorded = _plain(dataclasses.asdict(options), ws.root)
        # Where earlier editions are looked for matters only through the one found, which
        # `inputs.fingerprint` records (since); the folder's own name would make manifests differ by --out.
        recorded.pop("editions", None)
        return cls(
            as_of=as_of,
            formats=tuple(formats),
            options=options,
            recorded_options=recorded,
            templates=sha256_tree(Path(template_dir).resolve()) if template_dir else None,
        )


def _plain(value: Any, root: Path) -> Any:
    """A JSON-ready copy: bytes and long text as hashes, paths relative to the workspace, dates as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v, root) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_plain(v, root) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {"sha256": sha256_bytes(bytes(value))}
    if isinstance(value, str) and len(value) > LONG:
        return {"sha256": sha256_bytes(value.encode("utf-8"))}
    if isinstance(value, Path):
        return display_path(value.absolute(), root.absolute())
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def edition_record(ws: Workspace, found: inputs.Fingerprint, programme_id: str, path: Path,
                   logo: Optional[str], shared: Shared, languages: tuple[str, ...] = (),
                   language: str = "", method_version: Optional[str] = None) -> dict[str, Any]:
    """Every input of one edition, as a JSON-ready mapping (hashes for file contents), built on
    its fingerprint (`inputs.fingerprint`, computed once per edition and run)."""
    record = _plain(found, ws.root)
    record.pop("root", None)  # where the workspace lives does not change the bytes
    return {
        "tracker": __version__,
        "code": code_fingerprint(),
        "libraries": library_versions(),
        "system": system_versions(),
        "programme": {"id": programme_id, "file": ws.display(path),
                      "sha256": sha256_bytes(found.file), "logo": logo, "languages": list(languages),
                      "language": language,
                      # read by the next edition, to say when the method changed (its `since_method`)
                      "method_version": method_version or ""},
        "fingerprint": record,
        "templates": shared.templates,
        "options": shared.recorded_options,
        "as_of": shared.as_of.isoformat(),
        "formats": list(shared.formats),
    }


def recorded_method_version(manifest: Optional[dict[str, Any]]) -> Optional[str]:
    """The method version an edition's manifest records ("" for none stated); None when unknown."""
    if manifest is None:
        return None
    found = manifest["inputs"].get("programme", {})
    value = found.get("method_version") if isinstance(found, dict) else None
    return value if isinstance(value, str) else None


def read_manifest(path: Path) -> Optional[dict[str, Any]]:
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if (not isinstance(data, dict) or data.get("manifest") != MANIFEST_VERSION
            or not isinstance(data.get("inputs"), dict) or not isinstance(data.get("outputs"), dict)):
        return None
    return data


def manifest_bytes(record: dict[str, Any], outputs: dict[str, Path], hashes: dict[str, str]) -> bytes:
    data = {
        "manifest": MANIFEST_VERSION,
        "inputs": record,
        "outputs": {fmt: {"file": outputs[fmt].name, "sha256": hashes[fmt]} for fmt in sorted(hashes)},
    }
    return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")


def is_up_to_date(manifest: Optional[dict[str, Any]], record: dict[str, Any], outputs: dict[str, Path]) -> bool:
    """Whether the recorded inputs are these and every output still has its recorded bytes."""
    if manifest is None or manifest.get("inputs") != record:
        return False
    recorded = manifest["outputs"]
    if set(recorded) != set(outputs):
        return False
    for fmt, path in outputs.items():
        entry = recorded[fmt]
        if not isinstance(entry, dict) or entry.get("file") != path.name:
            return False
        if sha256_file(path) != entry.get("sha256"):
            return False
    return True
