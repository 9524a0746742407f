"""The translations of a programme's texts: gettext PO files beside it, `policies/<id>.<lang>.po`.

One entry per text: msgctxt the text's path in the programme (`texts.walk`), msgid the original,
msgstr the translation. PO is what translators' tools (Poedit, Weblate, Transifex) read and
write; Babel reads and writes it here. `update` brings a file in line with the data: new texts
are added untranslated, a text whose original changed keeps its translation marked fuzzy (with
the old original as `#| msgid`), texts no longer in the data become obsolete (`#~`), and every
translation is kept. A PO file that cannot be read is a located problem (PATH:LINE:COL) like
any other bad input.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from tracker.errors import InvalidData, Problem, display_path
from tracker.i18n import texts
from tracker.model.records import Programme

MAX_BYTES = 16 * 1024 * 1024


def po_path(programme: Programme, lang: str) -> Path:
    """`<folder of the programme file>/<id>.<lang>.po`."""
    return programme.path.parent / f"{programme.id}.{lang}.po"


@dataclass(frozen=True)
class Entry:
    context: str
    original: str  # the msgid: the text it translates
    translation: str
    fuzzy: bool
    line: int  # of the entry's msgid in the file
    previous: str = ""  # the earlier original a fuzzy translation was made for (#| msgid)


@dataclass(frozen=True)
class Translations:
    """One PO file as read: its entries by context (empty when there is no file)."""

    path: Path
    display: str
    entries: dict[str, Entry]
    raw: bytes  # the file's bytes (b"" when there is none): part of an edition's inputs
    obsolete: dict[str, Entry] = field(default_factory=dict)  # `#~` entries: texts no longer in the data

    def get(self, context: str, original: str) -> Optional[Entry]:
        """The current translation of `original` at `context`: none when missing, empty, fuzzy
        or made for another original."""
        entry = self.entries.get(context)
        if entry is None or entry.fuzzy or not entry.translation or entry.original != original:
            return None
        return entry


@dataclass(frozen=True)
class Counts:
    translated: int
    fuzzy: int  # translated, but for an earlier original (or marked fuzzy by a translator)
    missing: int

    @property
    def complete(self) -> bool:
        return not self.fuzzy and not self.missing


def read(path: Path, root: Path) -> Translations:
    """Read a PO file (no file: no translations); `InvalidData` with its line when it is not PO."""
    shown = display_path(path, root)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Translations(path, shown, {}, b"")
    except OSError as error:
        raise InvalidData([Problem(shown, 1, 1, "(file)", f"cannot read file: {error.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise InvalidData([Problem(shown, 1, 1, "(file)", "file is larger than the 16 MiB limit for translations")])
    catalog = _parse(raw, shown)
    previous_ids = _previous_ids(raw)
    entries: dict[str, Entry] = {}
    problems = []
    for message in catalog:
        if not message.id:
            continue  # the header
        line = getattr(message, "lineno", None) or 1
        if not message.context:
            problems.append(Problem(shown, line, 1, "msgctxt",
                                    "entry without msgctxt: each text is named by its path in the programme"))
            continue
        if isinstance(message.id, (tuple, list)):
            problems.append(Problem(shown, line, 1, message.context, "plural entries are not used for programme texts"))
            continue
        if message.context in entries:
            problems.append(Problem(shown, line, 1, message.context,
                                    f"duplicate msgctxt (first on line {entries[message.context].line})"))
            continue
        translation = message.string if isinstance(message.string, str) else ""
        previous = previous_ids.get(message.context, "")
        entries[message.context] = Entry(message.context, message.id, translation, message.fuzzy, line, previous)
    if problems:
        raise InvalidData(problems)
    obsolete = {}
    for message in catalog.obsolete.values():
        if message.context and isinstance(message.id, str) and message.context not in entries:
            obsolete[message.context] = Entry(message.context, message.id,
                                              message.string if isinstance(message.string, str) else "",
                                              message.fuzzy, getattr(message, "lineno", None) or 1)
    return Translations(path, shown, entries, raw, obsolete)


def _parse(raw: bytes, shown: str) -> Any:
    from babel.messages.pofile import PoFileError, read_po

    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        head = raw[: error.start]
        raise InvalidData([Problem(shown, head.count(b"\n") + 1, error.start - (head.rfind(b"\n") + 1) + 1, "(file)",
                                   f"file is not UTF-8 text (byte 0x{raw[error.start]:02x})")]) from None
    try:
        return read_po(io.BytesIO(raw), abort_invalid=True, charset="utf-8")
    except PoFileError as error:
        line = error.lineno + 1
        text = raw.decode("utf-8").splitlines()
        bad = text[error.lineno] if error.lineno < len(text) else ""
        column = len(bad) - len(bad.lstrip()) + 1
        message = str(error).rsplit(" on ", 1)[0]
        raise InvalidData([Problem(shown, line, column, "(file)", f"not a PO file: {message}: {bad.strip()!r}")]) from None
    except (ValueError, UnicodeDecodeError, IndexError) as error:
        raise InvalidData([Problem(shown, 1, 1, "(file)", f"not a PO file: {error}")]) from None


def _previous_ids(raw: bytes) -> dict[str, str]:
    """{msgctxt: the `#| msgid` before it}: the earlier original of a fuzzy translation (Babel
    writes these lines but does not read them back)."""
    from babel.messages.pofile import unescape

    out = {}
    for block in raw.decode("utf-8").split("\n\n"):
        previous: list[str] = []
        context: list[str] = []
        current: list[str] | None = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#| msgid "):
                current = previous
                previous.append(unescape(line[len("#| msgid "):]))
            elif line.startswith('#| "') and current is previous:
                previous.append(unescape(line[len("#| "):]))
            elif line.startswith("msgctxt "):
                current = context
                context.append(unescape(line[len("msgctxt "):]))
            elif line.startswith('"') and current is context:
                context.append(unescape(line))
            else:
                current = None
        if previous and context:
            out["".join(context)] = "".join(previous)
    return out


def counts(programme: Programme, found: Translations) -> Counts:
    translated = fuzzy = missing = 0
    for text in texts.walk(programme):
        entry = found.entries.get(text.context)
        if entry is None or not entry.translation:
            missing += 1
        elif entry.fuzzy or entry.original != text.text:
            fuzzy += 1
        else:
            translated += 1
    return Counts(translated, fuzzy, missing)


def updated(programme: Programme, lang: str, found: Translations, today: dt.date) -> bytes:
    """The PO file for `lang` brought in line with the programme's texts (see the module's doc)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    old = _parse(found.raw, found.display) if found.raw else None
    created = old.creation_date if old is not None else dt.datetime.combine(today, dt.time(), dt.timezone.utc)
    revised = old.revision_date if old is not None else created
    catalog = Catalog(locale=lang.replace("-", "_"), domain=programme.id, project=programme.id, version=None,
                      copyright_holder=None, msgid_bugs_address=None, creation_date=created, revision_date=revised,
                      last_translator=(old.last_translator if old is not None else None),
                      language_team=(old.language_team if old is not None else None), fuzzy=False,
                      header_comment=(old.header_comment if old is not None else
                                      f"# {programme.id}: translations into {lang} of the texts of "
                                      f"{programme.path.name}.\n# msgctxt: where the text is in the programme; "
                                      "msgid: the original; msgstr: the translation.\n"
                                      "# `tracker translate` keeps this file in line with the data."))
    used = set()
    for text in texts.walk(programme):
        entry = found.entries.get(text.context) or found.obsolete.get(text.context)  # a text back: its translation too
        used.add(text.context)
        if entry is None:
            catalog.add(text.text, "", context=text.context)
        elif entry.original == text.text:
            catalog.add(text.text, entry.translation, context=text.context,
                        flags=("fuzzy",) if entry.fuzzy else (), previous_id=entry.previous or ())
        else:  # the original changed: keep the translation, for a translator to check
            catalog.add(text.text, entry.translation, context=text.context,
                        flags=("fuzzy",) if entry.translation else (), previous_id=entry.original)
    for context, entry in [*found.entries.items(), *found.obsolete.items()]:
        if context not in used:
            catalog.obsolete[(entry.original, context)] = _message(entry)
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, include_previous=True, sort_output=False)
    return out.getvalue()


def _message(entry: Entry) -> Any:
    from babel.messages.catalog import Message

    return Message(entry.original, entry.translation, context=entry.context,
                   flags=("fuzzy",) if entry.fuzzy else ())


@dataclass(frozen=True)
class Result:
    """What `tracker translate` did for one programme and language."""

    programme: str
    lang: str
    display: str  # the PO file as a user names it
    counts: Counts
    written: bool  # the file was created or changed


def translation_languages(programme: Programme, langs: tuple[str, ...]) -> list[str]:
    """The languages to translate a programme into: those asked for (its data's own excepted),
    else every language of its editions but the data's."""
    wanted = langs or programme.published_in
    return [lang for lang in dict.fromkeys(wanted) if lang != programme.language]


def translate(root: Path, programmes: list[Programme], langs: tuple[str, ...], *, check: bool,
              today: dt.date) -> list[Result]:
    """Create or update the PO files of `programmes` in `langs` (default: each one's languages);
    with `check`, write nothing. Every file is read (and every problem reported) before any is written."""
    from tracker.edit import atomic

    plans = []
    problems: list[Problem] = []
    for programme in programmes:
        for lang in translation_languages(programme, langs):
            path = po_path(programme, lang)
            try:
                found = read(path, root)
            except InvalidData as bad:
                problems.extend(bad.problems)
                continue
            plans.append((programme, lang, path, found))
    if problems:
        raise InvalidData(problems)
    results = []
    for programme, lang, path, found in plans:
        data = updated(programme, lang, found, today)
        changed = data != found.raw
        if changed and not check:
            atomic.write_bytes(path, data)
        after = read(path, root) if changed and not check else found
        results.append(Result(programme.id, lang, display_path(path, root),
                              counts(programme, after if not check else found), changed and not check))
    return results
