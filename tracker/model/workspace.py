"""A workspace: `policies/` (what users write), `reports/` (what `tracker` writes) and `archive/`
(the evidence: source checks and captures, kept with the policies)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from tracker.errors import InvalidData, NotFound, Problem, WorkspaceError, display_path
from tracker.model import yamlsafe
from tracker.model.fields import did_you_mean
from tracker.model.records import Programme
from tracker.model.validate import check_document

#: Files in policies/ that are settings, not programmes.
SETTINGS_FILES = frozenset({"distribution.yaml"})
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Workspace:
    root: Path

    @classmethod
    def at(cls, root: str | os.PathLike[str]) -> "Workspace":
        path = Path(root).absolute()
        if not path.is_dir():
            raise WorkspaceError(f"{root}: workspace folder does not exist")
        return cls(path)

    @property
    def policies(self) -> Path:
        return self.root / "policies"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def archive(self) -> Path:
        """Where the evidence of the sources is kept (tracker/evidence): committed with policies/."""
        return self.root / "archive"

    def display(self, path: Path) -> str:
        return display_path(path, self.root)

    def inside(self, path: Path) -> bool:
        """Whether `path`, with every symbolic link resolved, lies inside the workspace."""
        try:
            path.resolve().relative_to(self.root.resolve())
            return True
        except (ValueError, OSError, RuntimeError):
            return False

    def programme_files(self) -> list[Path]:
        if not self.policies.is_dir():
            raise WorkspaceError(f"{self.display(self.policies)}: no policies/ folder here; "
                                 "run `tracker init DIR` or pass --root")
        files = sorted(
            p for p in self.policies.iterdir()
            if p.suffix in YAML_SUFFIXES and p.name not in SETTINGS_FILES and not p.name.startswith(".")
        )
        # A name that is not UTF-8 could be neither shown, nor recorded in a manifest, nor named
        # on the command line: it is refused, shown with its undecodable bytes as \xNN.
        undecodable = [p for p in files if not _is_utf8(p.name)]
        if undecodable:
            raise InvalidData([Problem(self.display(p.parent) + "/" + _escaped(p.name), 1, 1, "(file)",
                                       "the file name is not valid UTF-8; rename the file") for p in undecodable])
        return files

    def load_file(self, path: Path) -> Programme:
        """Load and validate one programme file; raise `InvalidData` with every problem."""
        shown = self.display(path)
        if not self.inside(path):
            raise InvalidData([Problem(shown, 1, 1, "(file)",
                                       "symbolic link points outside the workspace; refused")])
        if not path.resolve().is_file():
            raise InvalidData([Problem(shown, 1, 1, "(file)", "not a regular file")])
        doc = yamlsafe.load(path, shown)
        programme, problems = check_document(doc, path)
        if problems:
            raise InvalidData(problems)
        assert programme is not None
        return programme

    def load_all(self, map_: Callable[..., Iterable[Any]] = map) -> list[Programme]:
        """Every programme, validated together: all problems of all files, or none.

        `map_` applies the loader to every file: a process pool's `map` loads them in parallel.
        """
        problems: list[Problem] = []
        programmes: list[Programme] = []
        seen: dict[str, Path] = {}
        files = self.programme_files()
        for path, loaded in zip(files, map_(self.load_or_problems, files)):
            if not isinstance(loaded, Programme):
                problems.extend(loaded)
                continue
            programme = loaded
            if programme.id in seen:
                assert programme.origin is not None
                problems.append(Problem(self.display(path), *programme.origin.where(("id",)), "id",
                                        f"programme id {programme.id!r} is already used by "
                                        f"{self.display(seen[programme.id])}"))
                continue
            seen[programme.id] = path
            programmes.append(programme)
        if problems:
            raise InvalidData(problems)
        return programmes

    def load_or_problems(self, path: Path) -> Programme | list[Problem]:
        """`load_file`, with its problems returned rather than raised (they cross processes)."""
        try:
            return self.load_file(path)
        except InvalidData as bad:
            return bad.problems

    def programme(self, programme_id: str) -> Programme:
        for programme in self.load_all():
            if programme.id == programme_id:
                return programme
        raise NotFound(self.unknown_programme(programme_id))

    def file_of(self, programme_id: str) -> Path:
        """The file in policies/ whose `id` is `programme_id`; `NotFound` with a hint otherwise."""
        files = self.programme_files()
        preferred = [p for p in files if p.stem == programme_id]
        found: list[Path] = []
        ids: list[str] = []
        for path in preferred + [p for p in files if p not in preferred]:
            if not self.inside(path) or not path.resolve().is_file():
                ids.append(path.stem)  # never read: load_file reports why when it is the one meant
                if path.stem == programme_id:
                    found.append(path)
                continue
            declared = declared_id(path)
            if declared is not None:  # the plain `id: ...` line, read without parsing the file
                ids.append(declared)
                if declared == programme_id:
                    found.append(path)
                continue
            try:
                data = yamlsafe.load(path, self.display(path)).data
            except InvalidData:
                ids.append(path.stem)
                if path.stem == programme_id:
                    found.append(path)  # the file meant, though broken: its problems are reported
                continue
            pid = data.get("id") if isinstance(data, dict) else None
            if isinstance(pid, str):
                ids.append(pid)
                if pid == programme_id:
                    found.append(path)
        if not found:
            raise NotFound(f"unknown programme {programme_id!r}{did_you_mean(programme_id, ids)}")
        if len(found) > 1:
            raise WorkspaceError(f"programme id {programme_id!r} is used by several files: "
                                 f"{', '.join(self.display(p) for p in found)}; run `tracker validate`")
        return found[0]

    def unknown_programme(self, programme_id: str) -> str:
        ids = [p.stem for p in self.programme_files()]
        try:
            ids = [p.id for p in self.load_all()]
        except InvalidData:
            pass
        return f"unknown programme {programme_id!r}{did_you_mean(programme_id, ids)}"


def _is_utf8(name: str) -> bool:
    """Whether a file name, as the OS decoded it (undecodable bytes as lone surrogates), is UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _escaped(name: str) -> str:
    """A file name whose bytes are not all UTF-8, with each undecodable byte written \\xNN."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_ID_LINE = re.compile(r"^id:[ \t]*([a-z0-9-]+)[ \t]*(?:#.*)?$", re.MULTILINE)


def declared_id(path: Path) -> Optional[str]:
    """The programme id from a top-level `id: slug` line, when the file has exactly one."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    found = _ID_LINE.findall(text)
    return found[0] if len(found) == 1 else None
