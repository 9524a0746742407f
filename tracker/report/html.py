"""HTML rendering with Jinja: autoescape on, undefined names are errors.

With a template folder (--template-dir), templates are looked up there first; the shipped ones
stay reachable as "default:NAME", so an override can `{% extends "default:report.html" %}` and
replace a single block, and a stylesheet override can `{% include "default:report.css" %}`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import jinja2

from ..errors import RenderError
from . import formatting

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=8)
def environment(template_dir: Optional[str] = None) -> jinja2.Environment:
    defaults = jinja2.FileSystemLoader(str(TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if template_dir:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders += [jinja2.PrefixLoader({"default": defaults}, delimiter=":"), defaults]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["number"] = formatting.number
    env.filters["date"] = formatting.date
    return env


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


def _bytecode_cache() -> Optional[jinja2.BytecodeCache]:
    """Compiled templates kept between runs (in the user's temporary folder): a run then skips
    compiling them, about 40 ms. Jinja checks each template's source, so edits are seen."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None
