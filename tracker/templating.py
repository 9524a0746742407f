"""The one Jinja environment factory: reports, email and the archive page all render through it.

Autoescape is on (plain-text email templates, `*.txt`, excepted), undefined names are errors.
Templates say their own words through Jinja's i18n extension (`{% trans %}`, `_()`), in the
language the environment is made for: tracker's gettext catalogs (tracker/i18n/catalogs.py).
With a template folder (--template-dir), templates are looked up there first; the shipped ones
stay reachable as "default:NAME", so an override can `{% extends "default:report.html" %}` and
replace a single block, and a stylesheet override can `{% include "default:report.css" %}`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=8)
def environment(template_dir: Optional[str] = None,
                filters: tuple[tuple[str, Callable[..., str]], ...] = (), lang: str = "en") -> jinja2.Environment:
    """The environment for templates in `template_dir` (first) and the shipped ones, speaking `lang`."""
    defaults = jinja2.FileSystemLoader(str(TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if template_dir:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders += [jinja2.PrefixLoader({"default": defaults}, delimiter=":"), defaults]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
        extensions=["jinja2.ext.i18n"],
    )
    from tracker.i18n.catalogs import translations

    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(dict(filters))
    return env


def _bytecode_cache() -> Optional[jinja2.BytecodeCache]:
    """Compiled templates kept between runs (in the user's temporary folder): a run then skips
    compiling them, about 40 ms. Jinja checks each template's source, so edits are seen."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None
