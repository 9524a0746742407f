"""Dated editions of a programme's progress report, in three jobs:

- `content`: what a report says (the context its templates display);
- `render`: how it is rendered (HTML with Jinja, PDF with WeasyPrint);
- `run`: how a run is organised; `run.pipeline.build()` is the entry point.

`edition` holds the types the three share.
"""
from tracker.report.edition import FORMATS, PDF_VARIANTS, EditionInputs, Outcome, RenderOptions, edition_paths
from tracker.report.run.pipeline import build

__all__ = ["FORMATS", "PDF_VARIANTS", "EditionInputs", "Outcome", "RenderOptions", "build", "edition_paths"]
