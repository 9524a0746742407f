"""tracker's own words in each language: gettext catalogs, compiled when tracker is installed.

The sources are PO files in `tracker/locale/<lang>/LC_MESSAGES/tracker.po` (the template of
every message, `tracker/locale/tracker.pot`, is extracted from the code and templates by
`make messages`). `make` compiles each into `tracker.mo` beside it (`compile_all`, run by every
install target): binaries are never committed. A language without a catalog speaks English,
the language the messages are written in. A PO file newer than its compiled catalog is
compiled again in memory, so an edited translation is used at once.
"""
from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "tracker"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / _folder(lang) / "LC_MESSAGES" / f"{DOMAIN}.po"


def _folder(lang: str) -> str:
    """Catalog folders are named by the BCP 47 tag with an underscore, as gettext names them."""
    return lang.replace("-", "_")


def available() -> list[str]:
    """Languages with a catalog (as BCP 47 tags), English excluded."""
    if not LOCALE_DIR.is_dir():
        return []
    return sorted(p.parent.parent.name.replace("_", "-") for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def catalog_for(lang: str) -> Path | None:
    """The PO file serving `lang`: its own, else its language's (zh-Hans-CN -> zh-Hans -> zh)."""
    parts = lang.split("-")
    for end in range(len(parts), 0, -1):
        path = po_path("-".join(parts[:end]))
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=16)
def translations(lang: str) -> gettext.NullTranslations:
    """tracker's words in `lang` (English: as written)."""
    po = catalog_for(lang)
    if po is None:
        return gettext.NullTranslations()
    mo = po.with_suffix(".mo")
    if not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime:
        return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def compile_po(po: Path) -> bytes:
    """The binary catalog of one PO file (Babel's writer; fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_all() -> list[Path]:
    """Compile every catalog whose .mo is missing or older than its PO file; the paths written."""
    written = []
    for lang in available():
        po = po_path(lang)
        mo = po.with_suffix(".mo")
        if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        tmp = mo.with_suffix(".mo.tmp")
        tmp.write_bytes(compile_po(po))
        tmp.replace(mo)
        written.append(mo)
    return written


def fingerprint() -> dict[str, str]:
    """{lang: sha256 of its PO file}: what an edition's manifest records of the catalogs."""
    import hashlib

    return {lang: hashlib.sha256(po_path(lang).read_bytes()).hexdigest() for lang in available()}


if __name__ == "__main__":  # python -m tracker.i18n.catalogs: what `make` runs
    for path in compile_all():
        print(path)
