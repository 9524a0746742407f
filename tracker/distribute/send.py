"""`tracker distribute` as a library call: render, plan, then send (or write .eml files).

Each edition is rendered first when its PDF is missing or not up to date with the data. Recipients who already received the
edition (a `delivered` line in the programme's delivery log) are skipped, so running the same
command again after a failure sends only what is missing. `to` sends a test copy to one address
instead of the list: it is always sent, logged with `"test": true`, and never counts as a list
recipient's copy.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from tracker.distribute import deliveries, message, smtp
from tracker.edit import atomic
from tracker.errors import NotFound, RenderError
from tracker.model.records import Programme
from tracker.model.settings import Settings
from tracker.model.workspace import Workspace
from tracker.i18n import po
from tracker.report import FORMATS, RenderOptions, build, edition_paths
from tracker.report.edition import other_language
from tracker.report.run import manifest

OUTBOX = "outbox"
DELIVERED, ALREADY, REFUSED, FAILED, NOT_SENT, WRITTEN, UNKNOWN = (
    "delivered", "already delivered", "refused", "failed", "not sent", "written", "unknown")


@dataclass(frozen=True)
class Target:
    """Someone an edition goes to: a list recipient, or the --to address (`test`)."""

    address: str
    name: str = ""
    test: bool = False
    lang: str = ""  # the edition's language; "" for the programme's primary


@dataclass(frozen=True)
class Row:
    programme: str
    edition: dt.date
    address: str
    result: str
    detail: str = ""

    @property
    def reached(self) -> bool:
        return self.result in (DELIVERED, ALREADY, WRITTEN)


@dataclass
class Outcome:
    rows: list[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rendered: list[Path] = field(default_factory=list)
    fatal: Optional[str] = None  # why sending stopped early, if it did

    @property
    def ok(self) -> bool:
        return self.fatal is None and all(row.reached for row in self.rows)

    @property
    def missed(self) -> list[Row]:
        return [row for row in self.rows if not row.reached and row.result != UNKNOWN]

    @property
    def unknown(self) -> list[Row]:
        """Messages sent without a reply: they may have been delivered, and are not sent again
        unless asked (`resend_unknown`)."""
        return [row for row in self.rows if row.result == UNKNOWN]

    def table(self) -> str:
        header = ("PROGRAMME", "EDITION", "RECIPIENT", "RESULT")
        lines = [(r.programme, r.edition.isoformat(), r.address, r.result + (f": {r.detail}" if r.detail else ""))
                 for r in self.rows]
        widths = [max(len(row[i]) for row in [header, *lines]) for i in range(3)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
        return "\n".join(fmt.format(*row).rstrip() for row in [header, *lines])


def select(settings: Settings, programmes: list[Programme], ids: tuple[str, ...], to: Optional[str],
           unknown: Callable[[str], str]) -> list[Programme]:
    """The programmes to distribute: those named, else every programme with recipients."""
    by_id = {p.id: p for p in programmes}
    if ids:
        chosen = []
        for pid in dict.fromkeys(ids):
            if pid not in by_id:
                raise NotFound(unknown(pid))
            chosen.append(by_id[pid])
    else:
        chosen = [by_id[pid] for pid in settings.recipients if pid in by_id and settings.recipients[pid]]
        if to and not chosen:
            chosen = programmes
    if not to:
        empty = [p.id for p in chosen if not settings.recipients.get(p.id)]
        if empty or not chosen:
            listed = ", ".join(repr(pid) for pid in empty) or "any programme"
            raise NotFound(f"{settings.display}: recipients: no recipients listed for {listed}")
    return chosen


def scheduled_only(programmes: list[Programme]) -> tuple[list[Programme], list[str]]:
    """`tracker distribute --due`: the programmes with an edition schedule, which have editions
    due; and the ids of those without one, left out (a daily run would otherwise send them an
    edition of each day)."""
    return [p for p in programmes if p.editions is not None], [p.id for p in programmes if p.editions is None]


def targets(settings: Settings, programme: Programme, to: Optional[str], lang: Optional[str] = None) -> list[Target]:
    """Who gets the programme's edition (in `lang` only, when given: None is every language)."""
    if to:
        found = [Target(to, "", test=True, lang=programme.primary)]
    else:
        found = [Target(r.address, r.name, lang=r.language or programme.primary)
                 for r in settings.recipients.get(programme.id, ())]
    return [t for t in found if lang is None or t.lang == lang]


def check_languages(settings: Settings, programmes: list[Programme]) -> None:
    """Every recipient's language is one the programme is published in."""
    bad = [f"{settings.display}: recipients: {programme.id}: {r.address}: language {r.language!r} is not one "
           f"{programme.id} is published in ({', '.join(programme.published_in)})"
           for programme in programmes for r in settings.recipients.get(programme.id, ())
           if r.language and r.language not in programme.published_in]
    if bad:
        raise NotFound("\n".join(bad))


#: A file name may hold 255 bytes on the common file systems; the address part keeps within it.
MAX_ADDRESS_IN_NAME = 100


def outbox_name(programme_id: str, as_of: dt.date, target: Target) -> str:
    """`<id>-<as-of>[-test]-<address>.eml`, for any valid address: characters a file name should
    not hold become `_`, a long address is cut short, and either way a hash of the exact address
    keeps two addresses apart. At most 64 + 11 + 5 + 100 + 13 + 4 bytes: always a valid name."""
    safe = re.sub(r"[^A-Za-z0-9._@+-]", "_", target.address)
    if safe != target.address or len(safe) > MAX_ADDRESS_IN_NAME or safe.startswith("."):
        digest = hashlib.sha256(target.address.encode("utf-8", "surrogateescape")).hexdigest()[:12]
        safe = f"{safe[:MAX_ADDRESS_IN_NAME]}-{digest}"
    return f"{programme_id}-{as_of.isoformat()}-{'test-' if target.test else ''}{safe}.eml"


def edition_date(programme: Programme, as_of: dt.date, scheduled: bool) -> Optional[dt.date]:
    """The edition to send: as of `as_of`; or, `scheduled`, for a programme with an edition
    schedule, its latest scheduled edition on or before `as_of` (None before the first)."""
    if scheduled and programme.editions is not None:
        return programme.editions.latest(as_of)
    return as_of


def _editions(ws: Workspace, settings: Settings, programmes: list[Programme], as_of: dt.date, scheduled: bool,
              to: Optional[str], outcome: Outcome) -> list[tuple[message.Edition, bytes]]:
    """The editions the recipients get (one per programme and language they read, as of the
    edition's date), each with its PDF's bytes, made from the data loaded now.

    An edition that is missing, or not up to date with that data (its manifest records other
    bytes of the programme file: say a back-dated update since it was rendered), is rendered
    first, the way it was rendered before (its variant, templates, --since and formats, from its
    manifest). The message's body, computed from the same data and compared with the same
    earlier edition, then says what the attached PDF says."""
    dated: list[tuple[Programme, dt.date]] = []
    for p in programmes:
        day = edition_date(p, as_of, scheduled)
        if day is None:
            assert p.editions is not None
            outcome.warnings.append(f"{p.id}: no scheduled edition yet (the first is "
                                    f"{p.editions.next_after(as_of)}); nothing sent")
            continue
        dated.append((p, day))
    wanted = [(p, day, lang) for p, day in dated
              for lang in dict.fromkeys(t.lang for t in targets(settings, p, to))]

    runs: dict[tuple[dt.date, RenderOptions, tuple[str, ...]], dict[str, tuple[Programme, list[str]]]] = {}
    for p, day, lang in wanted:
        before = manifest.recorded(ws.reports, p.id, day, ws.root, other_language(lang, p.primary))
        if before is not None:
            options, formats = before.options, before.formats
            if options.template_dir is not None and not options.template_dir.is_dir():
                options = dataclasses.replace(options, template_dir=None)
        else:
            previous = None
            if scheduled and p.editions is not None:  # compared with the scheduled edition before it
                earlier = p.editions.dates(day - dt.timedelta(days=1))
                previous = earlier[-1] if earlier else None
            options, formats = RenderOptions(previous=previous), FORMATS
        formats = tuple(fmt for fmt in FORMATS if fmt in formats or fmt == "pdf")
        runs.setdefault((day, options, formats), {}).setdefault(p.id, (p, []))[1].append(lang)
    for (day, options, formats), group in sorted(runs.items(), key=lambda item: item[0][0]):
        langs = tuple(dict.fromkeys(lang for _, wanted_langs in group.values() for lang in wanted_langs))
        outcome.rendered.extend(build(ws, day, formats, ws.reports, options,
                                      programmes=[p for p, _ in group.values()], langs=langs).written)
    editions = []
    for p, day, lang in wanted:
        suffix = other_language(lang, p.primary)
        path = edition_paths(ws.reports, p.id, day, suffix)["pdf"]
        made = manifest.recorded(ws.reports, p.id, day, ws.root, suffix)
        data = atomic.read_regular(path)
        if (made is None or data is None or made.programme_sha256 != manifest.sha256_bytes(_parsed(p))
                or made.outputs.get("pdf") != manifest.sha256_bytes(data)):
            raise RenderError(f"{ws.display(path)}: the edition changed while it was being distributed "
                              "(another tracker run?); run the command again")
        log = deliveries.read(ws.reports / p.id, ws.display(ws.reports / p.id / deliveries.LOG_NAME))
        translations = po.read(po.po_path(p, lang), ws.root) if lang != p.language else None
        editions.append((message.Edition(p, day, path, made.since, lang, translations, log.last_sent(day)), data))
    for p in programmes:
        pending = p.pending()
        if pending:
            count = f"{len(pending)} draft{'s' if len(pending) > 1 else ''}"
            outcome.warnings.append(f"{p.id}: {count} waiting for review {'are' if len(pending) > 1 else 'is'} "
                                    f"left out of the edition (see `tracker review {p.id}`)")
    return editions


def _parsed(programme: Programme) -> bytes:
    assert programme.origin is not None, "a programme built by validation carries its origin"
    return programme.origin.raw


def distribute(ws: Workspace, settings: Settings, programmes: list[Programme], as_of: dt.date, *,
               scheduled: bool = False, to: Optional[str] = None, dry_run: bool = False,
               resend_unknown: bool = False, password: Optional[str] = None,
               now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
               sleep: Optional[Callable[[float], None]] = None, base_delay: Optional[float] = None) -> Outcome:
    """Send (or with `dry_run`, write to reports/outbox/) each edition to each recipient.

    `scheduled` (no --as-of): a programme with an edition schedule sends its latest scheduled
    edition on or before `as_of` rather than an edition of `as_of` itself, so a daily run sends
    each scheduled edition once, after its date. A recipient whose last delivery of the edition
    is `unknown` (sent, no reply) is not sent it again unless `resend_unknown`. `now` gives the
    Date header and log times; `sleep` and `base_delay` set the back-off between retries (tests
    make them instant).
    """
    outcome = Outcome()
    sender = None if dry_run else smtp.Sender(
        settings.smtp, password, sleep=sleep or time.sleep,
        base_delay=smtp.BASE_DELAY if base_delay is None else base_delay)
    check_languages(settings, programmes)
    editions = _editions(ws, settings, programmes, as_of, scheduled, to, outcome)
    try:
        for edition, pdf in editions:
            if dry_run:
                _dry_run(ws, settings, edition, pdf, to, resend_unknown, now, outcome)
            else:
                assert sender is not None
                _send(ws, settings, edition, pdf, to, resend_unknown, sender, now, outcome)
    finally:
        if sender is not None:
            sender.close()
    return outcome


def _build(settings: Settings, edition: message.Edition, pdf: bytes, target: Target,
           now: Callable[[], dt.datetime]) -> message.Outgoing:
    return message.build(edition, pdf, settings.sender, target.address, target.name, now(),
                         reply_to=settings.reply_to, archive_url=settings.archive_url, test=target.test)


def _settled(log: deliveries.Log, edition: message.Edition, target: Target, resend_unknown: bool) -> Optional[Row]:
    """The row of a recipient not to send to: already delivered, or sent without a reply."""
    if target.test:
        return None
    pid, as_of = edition.programme.id, edition.as_of
    before = log.delivered(as_of, target.address)
    if before is not None:
        return Row(pid, as_of, target.address, ALREADY, f"on {before.time}")
    unsure = log.unknown(as_of, target.address)
    if unsure is not None and not resend_unknown:
        return Row(pid, as_of, target.address, UNKNOWN,
                   f"sent on {unsure.time} without a reply; not sent again (--resend-unknown sends it)")
    return None


def _dry_run(ws: Workspace, settings: Settings, edition: message.Edition, pdf: bytes, to: Optional[str],
             resend_unknown: bool, now: Callable[[], dt.datetime], outcome: Outcome) -> None:
    pid = edition.programme.id
    log = deliveries.read(ws.reports / pid, ws.display(ws.reports / pid / deliveries.LOG_NAME))
    outcome.warnings.extend(log.warnings)
    for target in targets(settings, edition.programme, to, edition.lang):
        settled = _settled(log, edition, target, resend_unknown)
        if settled is not None:
            outcome.rows.append(settled)
            continue
        path = ws.reports / OUTBOX / outbox_name(pid, edition.as_of, target)
        atomic.write_bytes(path, _build(settings, edition, pdf, target, now).data)
        outcome.rows.append(Row(pid, edition.as_of, target.address, WRITTEN, ws.display(path)))


def _send(ws: Workspace, settings: Settings, edition: message.Edition, pdf: bytes, to: Optional[str],
          resend_unknown: bool, sender: smtp.Sender, now: Callable[[], dt.datetime], outcome: Outcome) -> None:
    pid = edition.programme.id
    folder = ws.reports / pid
    pending = targets(settings, edition.programme, to, edition.lang)
    if outcome.fatal is not None:
        outcome.rows.extend(Row(pid, edition.as_of, t.address, NOT_SENT, "sending stopped") for t in pending)
        return
    with deliveries.Writer(folder, ws.display(folder / deliveries.LOG_NAME)) as writer:
        outcome.warnings.extend(writer.log.warnings)
        for index, target in enumerate(pending):
            settled = _settled(writer.log, edition, target, resend_unknown)
            if settled is not None:
                outcome.rows.append(settled)
                continue
            outgoing = _build(settings, edition, pdf, target, now)
            try:
                result = sender.send(settings.sender.addr_spec, target.address, outgoing.data)
            except (smtp.SmtpFatal, smtp.Unreachable) as exc:
                outcome.fatal = str(exc)
                result = smtp.Result(False, str(exc))
            kind = (DELIVERED if result.delivered else REFUSED if result.permanent
                    else UNKNOWN if result.unknown else FAILED)
            writer.append(deliveries.Delivery(
                edition=edition.as_of.isoformat(), programme=pid, recipient=target.address,
                time=deliveries.timestamp(now()), result=kind, message_id=outgoing.message_id,
                detail=result.detail, test=target.test))
            outcome.rows.append(Row(pid, edition.as_of, target.address, kind,
                                    "test copy" if target.test and result.delivered else
                                    "" if result.delivered else result.detail))
            if outcome.fatal is not None:
                outcome.rows.extend(Row(pid, edition.as_of, t.address, NOT_SENT, "sending stopped")
                                    for t in pending[index + 1:])
                return
