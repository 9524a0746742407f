from __future__ import annotations

import click

from tracker.cli.common import LANGUAGE, Context, echo, pass_context, today
from tracker.i18n.po import translate as translate_programmes
from tracker.report.run.pipeline import select


@click.command()
@click.argument("programme_ids", metavar="[PROGRAMME_ID]...", nargs=-1)
@click.option("--lang", "langs", type=LANGUAGE, multiple=True, metavar="LANG",
              help="A language to translate into (BCP 47, e.g. zh-Hans); repeatable. "
                   "Default: every language of the programme but the one its data is written in.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any text is untranslated or fuzzy.")
@pass_context
def translate(obj: Context, programme_ids: tuple[str, ...], langs: tuple[str, ...], check: bool) -> None:
    """Create or update the translations of the programmes' texts: policies/<id>.<lang>.po.

    New texts are added untranslated, texts whose original changed keep their translation
    marked fuzzy, texts no longer in the data become obsolete; translations are kept. Prints,
    per programme and language, how many texts are translated, fuzzy and missing.
    """
    ws = obj.workspace
    programmes = select(ws, ws.load_all(), programme_ids)
    results = translate_programmes(ws.root, programmes, langs, check=check, today=today())
    for r in results:
        state = "written" if r.written else ("up to date" if not check else "checked")
        echo(f"{r.programme} {r.lang}: {r.counts.translated} translated, {r.counts.fuzzy} fuzzy, "
             f"{r.counts.missing} missing ({r.display}, {state})")
    if check and not all(r.counts.complete for r in results):
        raise click.exceptions.Exit(1)


COMMANDS = [translate]
