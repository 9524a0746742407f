"""One email per recipient and edition: text and HTML bodies, the edition's PDF attached.

Everything in a message is derived from the edition and the recipient except the Date header,
so the Message-ID recognises a message sent before (a rerun after a crash sends the same id,
which mail systems treat as the same message) and a dry run shows exactly what will be sent.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Optional

from tracker import templating
from tracker.digest import counts as summary
from tracker.i18n.po import Translations
from tracker.model.addresses import mailbox
from tracker.model.records import Programme
from tracker.report.content import corrections
from tracker.report.content.language import Language

#: CRLF line ends as on the wire; bodies encoded to 7-bit so any server takes them.
WIRE = policy.SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class Edition:
    """A rendered edition being distributed, and what its message says."""

    programme: Programme
    as_of: dt.date
    pdf: Path
    previous: Optional[dt.date]  # the edition before it, compared against in "what changed"
    lang: str = ""  # the edition's language ("": the programme's primary)
    translations: Optional[Translations] = None  # its PO file, for a language other than the data's
    last_sent: Optional[dt.date] = None  # the latest earlier edition emailed: corrections since then are named

    @property
    def key(self) -> str:
        """The edition in the delivery log and message ids: a language other than the primary is part of it."""
        base = f"{self.programme.id}/{self.as_of.isoformat()}"
        return f"{base}/{self.lang}" if self.lang and self.lang != self.programme.primary else base

    def language(self) -> Language:
        """How the edition's words are said: tracker's in its language, the data's from its PO file."""
        return Language.of(self.programme, self.lang or self.programme.primary, self.translations)


@dataclass(frozen=True)
class Outgoing:
    """A message ready to go: the bytes sent and written to .eml files."""

    edition: Edition
    address: str
    name: str
    message_id: str
    data: bytes
    test: bool = False


@dataclass(frozen=True)
class BodyContext:
    programme: Programme
    title: str  # the programme's title in the edition's language
    lang: str  # the language of the message's own words (its html lang): English without a catalog
    title_lang: str  # the language the title is in (the original when untranslated)
    date: str  # the as-of date as the language writes it
    previous_date: str
    as_of: dt.date
    name: str
    address: str
    attachment: str
    counts: list[summary.Count]
    total: int
    previous: Optional[dt.date]
    changes: list[summary.Change]
    archive_url: Optional[str]
    corrections: list[str]  # corrections made since the last edition sent, one line each, in its language
    last_sent: Optional[dt.date]
    last_sent_date: str  # as the language writes it


def message_id(edition: Edition, address: str, sender: Address, test: bool = False) -> str:
    """Deterministic: the same edition to the same address always has the same id."""
    kind = "test" if test else "list"
    digest = hashlib.sha256(f"{edition.key}\n{address.lower()}\n{kind}".encode()).hexdigest()[:24]
    lang = f".{edition.lang}" if edition.key.count("/") == 2 else ""
    return f"<{edition.programme.id}.{edition.as_of.isoformat()}{lang}.{kind}.{digest}@{sender.domain}>"


def subject(edition: Edition) -> str:
    lang = edition.language()
    title = " ".join(lang.text(edition.programme, "title").text.split())  # never a line break in a header
    return lang.words("{title}: progress up to {date}").format(title=title, date=lang.date(edition.as_of))


def body_context(edition: Edition, name: str, address: str, archive_url: Optional[str]) -> BodyContext:
    lang = edition.language()
    programme = edition.programme
    counts = [replace(c, label=(lang.status(programme.status(c.status), "label").text if c.status
                                else lang.words(c.label)))
              for c in summary.status_counts(programme, edition.as_of)]
    wording = summary.Wording(words=lang.words, date=lang.date, number=lang.number,
                              label=lambda status: lang.status(programme.status(status), "label").text,
                              text=lambda record, field: lang.text(record, field).text)
    title = lang.text(programme, "title")
    return BodyContext(
        programme=programme,
        title=title.text,
        lang=lang.style,
        title_lang=title.lang,
        date=lang.date(edition.as_of),
        previous_date=lang.date(edition.previous),
        as_of=edition.as_of,
        name=name,
        address=address,
        attachment=edition.pdf.name,
        counts=counts,
        total=sum(c.count for c in counts),
        previous=edition.previous,
        changes=summary.what_changed(programme, edition.previous, edition.as_of, wording),
        archive_url=archive_url,
        corrections=corrections.lines(lang, edition.last_sent, edition.as_of),
        last_sent=edition.last_sent,
        last_sent_date=lang.date(edition.last_sent),
    )


def build(edition: Edition, pdf: bytes, sender: Address, address: str, name: str, now: dt.datetime, *,
          reply_to: Optional[Address] = None, archive_url: Optional[str] = None, test: bool = False) -> Outgoing:
    """The message for one recipient; `now` (timezone-aware) is the Date header, nothing else."""
    mid = message_id(edition, address, sender, test)
    ctx = body_context(edition, name, address, archive_url)
    env = templating.environment(lang=edition.language().style)
    msg = EmailMessage(policy=WIRE)
    msg["From"] = sender
    msg["To"] = mailbox(name, address)
    if reply_to is not None:
        msg["Reply-To"] = reply_to
    msg["Subject"] = subject(edition)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = mid
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(env.get_template("email_body.txt").render(mail=ctx))
    msg.add_alternative(env.get_template("email_body.html").render(mail=ctx), subtype="html")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=edition.pdf.name)
    seed = mid.strip("<>").split("@")[0].rsplit(".", 1)[-1]
    for i, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=_tracker_{seed}_{i}")  # fixed, so the same message gives the same bytes
    return Outgoing(edition, address, name, mid, msg.as_bytes(policy=WIRE), test)
