"""HTML rendering of a report with Jinja (tracker/templating.py): template mistakes are errors."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import jinja2

from tracker import templating
from tracker.errors import RenderError
from tracker.report.content import formatting

#: The filters report templates use, on top of Jinja's own.
FILTERS = (("number", formatting.number), ("date", formatting.date))


def environment(template_dir: Optional[str] = None) -> jinja2.Environment:
    return templating.environment(template_dir, FILTERS)


def render(template: str, context: Any, template_dir: Optional[str | Path] = None) -> str:
    """Render `template` with the report context; template mistakes become a `RenderError`."""
    env = environment(str(template_dir) if template_dir else None)
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
