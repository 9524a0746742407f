"""tracker.sysdeps: versions of the libraries and fonts that shape a PDF, from dpkg or the files."""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from tracker import sysdeps

STATUS = """\
Package: libpango-1.0-0
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 612
Architecture: amd64
Multi-Arch: same
Source: pango1.0
Version: 1.50.12+ds-1
Depends: libc6 (>= 2.34), libfribidi0 (>= 1.0.6)
Description: Layout and rendering of internationalized text
 Package: libfreetype6
 A continuation line that looks like a Package line is part of the description.

Package: zlib1g
Status: install ok installed
Architecture: amd64
Version: 1:1.2.13.dfsg-1

Package: libpangoft2-1.0-0
Status: install ok installed
Architecture: amd64
Version: 1.50.12+ds-1

Package: libpangocairo-1.0-0
Status: install ok installed
Architecture: amd64
Version: 1.50.12+ds-1

Package: libharfbuzz0b
Status: install ok installed
Architecture: amd64
Version: 6.0.0+dfsg-3

Package: libharfbuzz0b
Status: install ok installed
Architecture: i386
Version: 6.0.0+dfsg-3

Package: libharfbuzz-subset0
Status: install ok half-configured
Architecture: amd64
Version: 6.0.0+dfsg-3

Package: libharfbuzz-icu0
Status: install ok installed
Architecture: amd64
Version: 6.0.0+dfsg-3

Package: libfontconfig1
Status: install ok installed
Architecture: amd64
Version: 2.14.1-4

Package: libfontconfig1-dev
Status: install ok installed
Architecture: amd64
Version: 2.14.1-4

Package: fontconfig-config
Status: install ok installed
Architecture: amd64
Version: 2.14.1-4

Package: libfreetype6
Status: deinstall ok config-files
Architecture: amd64
Version: 2.12.1+dfsg-5+deb12u4

Package: fonts-dejavu-core
Status: install ok installed
Architecture: all
Version: 2.37-6

Package: fonts-noto-core
Status: install ok installed
Architecture: all
Version: 20201225-1

Package: fonts-liberation
Status: unknown ok not-installed
Architecture: all
Version: 1:1.07.4-11
"""

EXPECTED = {
    "fontconfig-config": "2.14.1-4",
    "fonts-dejavu-core": "2.37-6",
    "fonts-noto-core": "20201225-1",
    "libfontconfig1": "2.14.1-4",
    "libharfbuzz-subset0": "6.0.0+dfsg-3 (half-configured)",
    "libharfbuzz0b:amd64": "6.0.0+dfsg-3",
    "libharfbuzz0b:i386": "6.0.0+dfsg-3",
    "libpango-1.0-0": "1.50.12+ds-1",
    "libpangoft2-1.0-0": "1.50.12+ds-1",
}


def test_dpkg_status_keeps_the_wanted_packages_on_disk(tmp_path: Path) -> None:
    status = tmp_path / "status"
    status.write_text(STATUS, encoding="utf-8")
    assert sysdeps.dpkg_versions(status) == EXPECTED
    empty = tmp_path / "empty"
    empty.mkdir()
    found = sysdeps.system_versions(status, local_font_dirs=[empty, tmp_path / "missing"])
    assert found == {**EXPECTED, f"fonts:{empty}": f"0 files {hashlib.sha256().hexdigest()[:16]}"}
    assert list(found) == sorted(found)


def test_a_later_version_in_the_status_file_changes_the_result(tmp_path: Path) -> None:
    status = tmp_path / "status"
    status.write_text(STATUS.replace("Version: 20201225-1", "Version: 20201225-2"), encoding="utf-8")
    found = sysdeps.dpkg_versions(status)
    assert found is not None and found["fonts-noto-core"] == "20201225-2"


def _fallback_machine(tmp_path: Path) -> tuple[Path, Path]:
    libs = tmp_path / "lib"
    libs.mkdir()
    (libs / "libpango-1.0.so.0.5000.12").write_bytes(b"")
    (libs / "libpango-1.0.so.0").symlink_to("libpango-1.0.so.0.5000.12")
    (libs / "libharfbuzz.so.0.60000.0").write_bytes(b"")
    (libs / "libharfbuzz.so.0").symlink_to("libharfbuzz.so.0.60000.0")
    fonts = tmp_path / "fonts"
    (fonts / "truetype" / "dejavu").mkdir(parents=True)
    (fonts / "truetype" / "dejavu" / "DejaVuSans.ttf").write_bytes(b"font")
    (fonts / "truetype" / "dejavu" / ".uuid").write_text("not a font")
    return libs, fonts


def test_without_dpkg_library_files_and_a_font_fingerprint(tmp_path: Path) -> None:
    libs, fonts = _fallback_machine(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "libpango-1.0.so.0").write_bytes(b"")  # later in the search: not the one loaded
    found = sysdeps.system_versions(tmp_path / "no-status", library_dirs=[libs, other],
                                    font_dirs=[fonts], local_font_dirs=[])
    assert list(found) == sorted(found)
    assert found["libpango-1.0.so.0"] == "libpango-1.0.so.0.5000.12"
    assert found["libharfbuzz.so.0"] == "libharfbuzz.so.0.60000.0"
    assert "libfreetype.so.6" not in found
    assert found[f"fonts:{fonts}"].startswith("1 files ")

    # A font upgraded in place (new bytes, new time) gives another fingerprint.
    font = fonts / "truetype" / "dejavu" / "DejaVuSans.ttf"
    font.write_bytes(b"font, version 2")
    os.utime(font, ns=(time.time_ns(), time.time_ns() + 10**9))
    again = sysdeps.font_fingerprints([fonts])[f"fonts:{fonts}"]
    assert again.startswith("1 files ") and again != found[f"fonts:{fonts}"]


def test_dpkg_without_the_libraries_falls_back_too(tmp_path: Path) -> None:
    libs, fonts = _fallback_machine(tmp_path)
    status = tmp_path / "status"
    status.write_text("Package: fonts-dejavu-core\nStatus: install ok installed\nVersion: 2.37-6\n")
    found = sysdeps.system_versions(status, library_dirs=[libs], font_dirs=[fonts], local_font_dirs=[])
    assert found["fonts-dejavu-core"] == "2.37-6"
    assert found["libpango-1.0.so.0"] == "libpango-1.0.so.0.5000.12"


def test_this_machine_names_pango_and_is_cached() -> None:
    found = sysdeps.system_versions()
    assert any("pango" in name for name in found), found
    assert list(found) == sorted(found)
    found["changed by a caller"] = "x"
    assert "changed by a caller" not in sysdeps.system_versions()
