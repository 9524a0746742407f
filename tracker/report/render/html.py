"""HTML rendering of a report with Jinja (tracker/templating.py): template mistakes are errors."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Callable, Optional

import jinja2

from tracker import templating
from tracker.errors import RenderError
from tracker.i18n import locale as cldr

_FILTERS: dict[str, tuple[tuple[str, Callable[..., str]], ...]] = {}


def filters(lang: str) -> tuple[tuple[str, Callable[..., str]], ...]:
    """The filters report templates use, on top of Jinja's own: numbers and dates in `lang`
    (one tuple per language, so the environment cache finds it again)."""
    if lang not in _FILTERS:
        _FILTERS[lang] = (("number", partial(cldr.number, lang=lang)),
                          ("date", partial(cldr.date, lang=lang)),
                          ("isodate", cldr.date),
                          ("partial_date", partial(cldr.partial_date, lang=lang)))
    return _FILTERS[lang]


def environment(template_dir: Optional[str] = None, lang: str = "en") -> jinja2.Environment:
    return templating.environment(template_dir, filters(lang), lang)


def render(template: str, context: Any, template_dir: Optional[str | Path] = None) -> str:
    """Render `template` with the report context, in its language; template mistakes become a `RenderError`."""
    env = environment(str(template_dir) if template_dir else None, getattr(context, "style", "en"))
    try:
        return env.get_template(template).render(report=context)
    except jinja2.TemplateSyntaxError as error:
        where = f"{error.filename or error.name}:{error.lineno}: " if error.lineno else ""
        raise RenderError(f"{where}template error: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        raise RenderError(f"template not found: {error.name}") from None
    except jinja2.UndefinedError as error:
        raise RenderError(f"template error: {error.message}") from None
    except RecursionError:
        raise RenderError(f"template error: {template} includes or extends itself; "
                          "reach the shipped template as default:NAME") from None
