"""What the server process that forks a process per edition loads once, before any fork.

Imported by that server (workers.py): everything an edition's rendering imports, so that each
forked process starts with it already loaded: tracker's report modules, Jinja's environment for
the shipped templates, WeasyPrint and the modules it imports only when it first writes a PDF.
Nothing here renders, so no font, layout or PDF state exists before the fork.
"""
from __future__ import annotations

import email.message  # noqa: F401 - WeasyPrint's URL fetcher parses headers with it
import email.policy  # noqa: F401

import weasyprint  # noqa: F401
import weasyprint.pdf  # noqa: F401

from tracker.report.render import fetcher, html, pdf  # noqa: F401
from tracker.report.run import stage  # noqa: F401

html.environment()
