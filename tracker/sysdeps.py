"""Versions of the system libraries and fonts that shape a PDF's bytes, read without loading them.

WeasyPrint lays text out with Pango, which shapes it with HarfBuzz, finds fonts with fontconfig
and reads them with FreeType; HarfBuzz's subsetter cuts the fonts embedded in the PDF. An
upgrade of any of these, or of an installed font, can change a PDF's bytes, so an edition's
manifest that records `system_versions()` is rendered again after one.

`system_versions()` is called on every `tracker report` run, a no-change rerun included, so it is
cheap (a few milliseconds, once per process) and loads nothing: it never imports WeasyPrint nor
calls into Pango. It reads:

- Debian's package database (`/var/lib/dpkg/status`): the version of each installed package of
  those libraries (`libpango-1.0-0`, `libpangoft2-1.0-0`, `libharfbuzz0b`, `libharfbuzz-subset0`,
  `libfontconfig1`, `libfreetype6`, whatever their soname number), of `fontconfig-config` (the
  rules that choose a font) and of every `fonts-*` package, as `{package: version}`; a package
  installed for more than one architecture is `package:arch`;
- where there is no such database, or it lists none of those libraries: each library's file name
  as the loader resolves it (`libpango-1.0.so.0` -> `libpango-1.0.so.0.5000.12`, searched in
  LD_LIBRARY_PATH and the usual library folders), and `/usr/share/fonts` as below;
- always: the font folders no package manages (`/usr/local/share/fonts`, `~/.fonts`,
  `~/.local/share/fonts`), those that exist, each as `fonts:FOLDER` -> the number of font files
  and a hash of their relative paths, sizes and modification times.

Keys come out sorted, so the same machine gives the same dict in the same order.
"""
from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import lru_cache
from typing import Iterable, Optional, Sequence, Union

StrPath = Union[str, os.PathLike[str]]

DPKG_STATUS = "/var/lib/dpkg/status"

# A Package line that may be a wanted one (one search in C finds them all in the file's bytes)...
_CANDIDATE = re.compile(rb"\nPackage: ((?:fonts-|fontconfig-config|lib(?:pango|harfbuzz|fontconfig|freetype))[^\n]*)")
# ... and the library packages: their names end in the soname's number, with whatever suffix a
# transition adds (libharfbuzz0b, a t64 rename); -dev and other packages of the same source
# (libpangocairo-1.0-0, libharfbuzz-icu0) are not wanted.
_LIBRARY = re.compile(r"libpango(?:ft2)?-1\.0-\d+\w*|libharfbuzz(?:-subset)?\d+\w*|libfontconfig\d+\w*|libfreetype\d+\w*")
# dpkg states in which the package's files are not on disk.
_ABSENT = {"not-installed", "config-files"}

# The libraries WeasyPrint loads (and FreeType, under fontconfig and HarfBuzz), by soname.
SONAMES = (
    "libpango-1.0.so.0",
    "libpangoft2-1.0.so.0",
    "libharfbuzz.so.0",
    "libharfbuzz-subset.so.0",
    "libfontconfig.so.1",
    "libfreetype.so.6",
)
LIBRARY_DIRS = ("/usr/local/lib", "/usr/lib64", "/lib64", "/usr/lib", "/lib")
SYSTEM_FONT_DIRS = ("/usr/share/fonts",)
# Font folders no package manages; "~" is the user's home (and stays "~" in the key).
LOCAL_FONT_DIRS = ("/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc", ".pfa", ".pfb", ".t1", ".woff", ".woff2",
                 ".pcf", ".pcf.gz", ".bdf", ".dfont")


def system_versions(
    status: StrPath = DPKG_STATUS,
    *,
    library_dirs: Optional[Sequence[StrPath]] = None,
    font_dirs: Optional[Sequence[StrPath]] = None,
    local_font_dirs: Optional[Sequence[StrPath]] = None,
) -> dict[str, str]:
    """{name: version} of the text-rendering libraries and fonts installed; see the module's doc.

    `status` is dpkg's database; `library_dirs` (default: LD_LIBRARY_PATH, then the usual
    folders), `font_dirs` (default /usr/share/fonts; read only when dpkg does not tell) and
    `local_font_dirs` (default: the folders no package manages) are for tests. Computed once per
    process for the same arguments; each call returns a new dict.
    """
    return dict(_system_versions(
        os.fspath(status),
        None if library_dirs is None else tuple(os.fspath(d) for d in library_dirs),
        None if font_dirs is None else tuple(os.fspath(d) for d in font_dirs),
        None if local_font_dirs is None else tuple(os.fspath(d) for d in local_font_dirs),
    ))


@lru_cache(maxsize=8)
def _system_versions(
    status: str,
    library_dirs: Optional[tuple[str, ...]],
    font_dirs: Optional[tuple[str, ...]],
    local_font_dirs: Optional[tuple[str, ...]],
) -> tuple[tuple[str, str], ...]:
    found = dpkg_versions(status)
    if found is None or not any(_LIBRARY.fullmatch(name.partition(":")[0]) for name in found):
        found = dict(found or {})
        found.update(library_files(library_dirs if library_dirs is not None else default_library_dirs()))
        found.update(font_fingerprints(font_dirs if font_dirs is not None else SYSTEM_FONT_DIRS))
    found.update(font_fingerprints(local_font_dirs if local_font_dirs is not None else LOCAL_FONT_DIRS))
    return tuple(sorted(found.items()))


def dpkg_versions(status: StrPath = DPKG_STATUS) -> Optional[dict[str, str]]:
    """{package: version} of the wanted packages dpkg's database lists as on disk; None without one.

    Only the stanzas of wanted packages are parsed: one regular-expression search finds their
    Package lines in the file's bytes (about 0.5 ms for the 16,000 lines of a full database). A package whose state is other than "installed" (say,
    "half-configured" in the middle of an upgrade) has it after its version.
    """
    try:
        with open(status, "rb") as handle:
            data = b"\n" + handle.read()
    except OSError:
        return None
    seen: dict[str, list[tuple[str, str]]] = {}
    for match in _CANDIDATE.finditer(data):
        name = match.group(1).decode("utf-8", "replace").strip()
        if not (name.startswith("fonts-") or name == "fontconfig-config" or _LIBRARY.fullmatch(name)):
            continue
        end = data.find(b"\n\n", match.end())
        fields = {}
        for line in data[match.end():end if end >= 0 else len(data)].split(b"\n"):
            key, colon, value = line.partition(b":")
            if colon and key in (b"Status", b"Version", b"Architecture"):
                fields[key.decode()] = value.decode("utf-8", "replace").strip()
        state = fields.get("Status", "").rpartition(" ")[2]
        version = fields.get("Version")
        if not version or not state or state in _ABSENT:
            continue
        if state != "installed":
            version = f"{version} ({state})"
        seen.setdefault(name, []).append((fields.get("Architecture", ""), version))
    versions = {}
    for name, entries in seen.items():
        if len(entries) == 1:
            versions[name] = entries[0][1]
        else:
            for arch, version in entries:
                versions[f"{name}:{arch}"] = version
    return versions


def default_library_dirs() -> tuple[str, ...]:
    """Where the dynamic loader looks, roughly in its order: LD_LIBRARY_PATH, then the system's."""
    dirs = [d for d in os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep) if d]
    multiarch = getattr(sys.implementation, "_multiarch", None)
    for base in LIBRARY_DIRS:
        if multiarch:
            dirs.append(f"{base}/{multiarch}")
        dirs.append(base)
    return tuple(dict.fromkeys(dirs))


def library_files(library_dirs: Iterable[StrPath]) -> dict[str, str]:
    """{soname: the file it resolves to} for each library found in the first folder holding it.

    The file name carries the library's version (libpango-1.0.so.0.5000.12 is Pango 1.50.12).
    """
    dirs = list(library_dirs)
    files = {}
    for soname in SONAMES:
        for folder in dirs:
            path = os.path.join(folder, soname)
            if os.path.exists(path):
                files[soname] = os.path.basename(os.path.realpath(path))
                break
    return files


def font_fingerprints(font_dirs: Iterable[StrPath]) -> dict[str, str]:
    """{"fonts:FOLDER": "N files HASH"} for each folder that exists.

    HASH covers each font file's path relative to FOLDER, size and modification time, in name
    order, so a font added, removed or replaced (an upgrade) changes it.
    """
    prints = {}
    for folder in font_dirs:
        name = os.fspath(folder)
        path = os.path.expanduser(name)
        if not os.path.isdir(path):
            continue
        entries = sorted(_font_files(path, ""))
        digest = hashlib.sha256()
        for relative, size, mtime in entries:
            digest.update(f"{relative}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
        prints[f"fonts:{name}"] = f"{len(entries)} files {digest.hexdigest()[:16]}"
    return prints


def _font_files(folder: str, relative: str) -> Iterable[tuple[str, int, int]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = f"{relative}/{entry.name}" if relative else entry.name
        try:
            if entry.is_dir():
                if not entry.is_symlink():  # fontconfig follows these too, but a loop must end
                    yield from _font_files(entry.path, name)
            elif entry.name.lower().endswith(FONT_SUFFIXES):
                stat = entry.stat()
                yield name, stat.st_size, stat.st_mtime_ns
        except OSError:
            continue
