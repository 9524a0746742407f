"""The language of an edition, and of each text it shows.

Every piece of user text reaches the templates as a `Shown`: its words, the language they are
in and the page's language. In HTML it is isolated for bidi (`dir="auto"`, or `rtl` when its
first strong character is right-to-left, which is the same rule and the one WeasyPrint
understands) and carries its own `lang` when that differs from the page's, so that the face of
its language draws it and a screen reader speaks it in its language.
"""
from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from markupsafe import Markup, escape

from tracker.i18n.scripts import direction, language_of
from tracker.model.records import Programme, ReasonDef, StatusDef

if TYPE_CHECKING:  # pragma: no cover
    from tracker.i18n.po import Translations
from tracker.i18n import locale as cldr


@dataclass(frozen=True)
class Shown:
    """A user text as the report shows it."""

    text: str
    lang: str  # the language the words are in
    page: str  # the language of the page around them
    untranslated: bool = False  # shown in the original language for want of a translation

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def dir(self) -> str:
        return "rtl" if direction(self.text) == "rtl" else "auto"

    @property
    def attrs(self) -> Markup:
        """` lang="..." dir="..."` for the element that holds the text alone."""
        lang = f' lang="{escape(self.lang)}"' if self.lang != self.page else ""
        return Markup(f'{lang} dir="{self.dir}"')

    @property
    def plain(self) -> Markup:
        """The text escaped, without an element (inside an element given `attrs`)."""
        return escape(self.text)

    def __html__(self) -> Markup:
        """Inline: the text in a span of its own (isolated, with its `lang` when it differs)."""
        return Markup(f"<span{self.attrs}>{escape(self.text)}</span>")

    def map(self, text: str) -> "Shown":
        """Other words from the same text (its first sentence, say), in the same language."""
        return Shown(text, self.lang, self.page, self.untranslated)


def where(record: Any, name: str) -> tuple[Any, ...]:
    """The YAML path the value of `record.name` comes from: the record's own field, or for an
    entry or observation shown corrected (`applied`), the `now` of the latest correction of it."""
    for correction in reversed(getattr(record, "applied", ())):
        change = correction.changes.get(name)
        if change is not None:
            return tuple(change.at) + ("now",)
    return tuple(record.at) + (name,)


@dataclass
class Language:
    """An edition's language and the language of its data: how each user text is shown."""

    programme: Programme
    page: str  # the edition's language (BCP 47)
    data: str = ""  # the language the programme is written in; default: its `language`
    untranslated: dict[str, str] = field(default_factory=dict)  # context -> original shown as is
    #: tracker's own words in the page's language (gettext); English needs none
    translations: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    custom_statuses: bool = False  # the programme's own vocabulary: its words are data, not tracker's
    custom_reasons: bool = False  # likewise for the reasons (`reasons:`)

    shown: set[str] = field(default_factory=set)  # contexts of the texts shown
    po: "Optional[Translations]" = None  # the data's texts in the page's language
    contexts: dict[tuple[Any, ...], str] = field(default_factory=dict)  # a value's YAML path -> msgctxt

    def __post_init__(self) -> None:
        self.data = self.data or self.programme.language
        from tracker.i18n.texts import custom_reasons, custom_statuses

        self.custom_statuses = custom_statuses(self.programme)
        self.custom_reasons = custom_reasons(self.programme)

    @property
    def translated_edition(self) -> bool:
        """Whether this edition is in another language than the data."""
        return self.page != self.data

    def language_name(self, tag: str) -> str:
        """A language's name in the page's language (CLDR): English, 英语."""
        from tracker.i18n.locale import locale

        name = locale(tag).get_display_name(locale(self.page)) or tag
        return name

    @property
    def rtl(self) -> bool:
        from tracker.i18n.scripts import is_rtl_language

        return is_rtl_language(self.page)

    def shown_count(self) -> int:
        return len(self.shown)

    # -- tracker's own words ----------------------------------------------------------------
    def words(self, message: str) -> str:
        """`message`, one of tracker's own, in the page's language."""
        return self.translations.gettext(message)

    def nwords(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def page_text(self, text: str) -> Shown:
        """Words already in the page's language (tracker's own), as a `Shown`."""
        return Shown(text, self.page, self.page)

    def status(self, status: StatusDef, name: str) -> Shown:
        """A status's label or definition: the data's words for a programme's own vocabulary,
        tracker's (translated) for the default one."""
        if self.custom_statuses:
            return self.text(status, name)
        return self.page_text(self.words(getattr(status, name)))

    def reason(self, reason: ReasonDef, name: str) -> Shown:
        """A reason's label or definition: the data's words for a programme's own vocabulary,
        tracker's (translated) for the default one."""
        if self.custom_reasons:
            return self.text(reason, name)
        return self.page_text(self.words(getattr(reason, name)))

    # -- dates and numbers ------------------------------------------------------------------
    @property
    def style(self) -> str:
        """The language dates and numbers are written in: the page's when tracker speaks it
        (it has a catalog for it), else English's house style, like tracker's own words."""
        from tracker.i18n.catalogs import catalog_for

        return self.page if catalog_for(self.page) is not None else "en"

    def date(self, value: Optional[dt.date]) -> str:
        return cldr.date(value, self.style)

    def partial_date(self, value: str) -> str:
        return cldr.partial_date(value, self.style)

    def number(self, value: Any) -> str:
        return cldr.number(value, self.style)

    def days(self, n: int) -> str:
        return self.nwords("{n} day", "{n} days", n).format(n=self.number(n))

    def quantity(self, value: Any, unit: Shown) -> Markup:
        """A value and its unit (the unit is data, in its own language)."""
        return Markup(self.words("{value} {unit}")).format(value=self.number(value), unit=unit) if unit \
            else Markup(escape(self.number(value)))

    def original(self, text: str) -> Shown:
        """A text shown as written in the data (its language detected by script when needed)."""
        return Shown(text, language_of(text, self.data) if text else self.data, self.page)

    def text(self, record: Any, name: str) -> Shown:
        """The field `name` of a programme record (a priority, an entry, a correction's change...),
        as this edition shows it: its current translation, else the original marked with its own
        language (counted). An entry or observation shown corrected says what its latest
        correction of that field says: that correction's text, translated where it is."""
        value: str = getattr(record, name) or ""
        if not value or self.po is None:
            return self.original(value)
        context = self.contexts.get(where(record, name))
        if context is None:
            return self.original(value)
        self.shown.add(context)
        entry = self.po.get(context, value)
        if entry is None:
            self.untranslated[context] = value
            shown = self.original(value)
            return Shown(shown.text, shown.lang, shown.page, untranslated=True)
        return Shown(entry.translation, language_of(entry.translation, self.page), self.page)

    @classmethod
    def of(cls, programme: Programme, page: str, po: "Optional[Translations]" = None) -> "Language":
        """The edition of `programme` in `page`: tracker's words from its catalog, the data's texts
        from `po` (the PO file of that language) when the data is written in another language."""
        from tracker.i18n.catalogs import translations

        language = cls(programme, page, translations=translations(page))
        if page != programme.language:
            language.po = po
            if po is not None:
                from tracker.i18n.texts import walk

                from tracker.i18n.texts import aliases

                language.contexts = {tuple(text.at): text.context for text in walk(programme)}
                language.contexts.update(aliases(programme))
        return language

    def located_translation(self, context: str, original: str) -> Optional[tuple[str, str, str, int]]:
        """For the glyph check: the translation shown for `original` at `context`, its language,
        file and line; None when the original is shown."""
        if self.po is None:
            return None
        entry = self.po.get(context, original)
        if entry is None:
            return None
        return entry.translation, language_of(entry.translation, self.page), self.po.display, entry.line
