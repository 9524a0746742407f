"""The floor: a fresh process that only imports WeasyPrint and turns an HTML file into a PDF.

    python bench/floor.py REPORT.html OUT.pdf --base-url DIR --stylesheet PRINT.css
                          [--variant pdf/a-3b] [--attach FILE]

Nothing of tracker is imported. `bench/run.py` passes the HTML file tracker wrote, the print
stylesheet tracker gives WeasyPrint beside it (report-print.css: pages, running headers,
bookmarks, kept out of the HTML), and the variant and attachment it finds in the PDF tracker
wrote, so both do the same WeasyPrint work.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import weasyprint


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("html", type=Path)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--base-url", type=Path, required=True)
    parser.add_argument("--variant")
    parser.add_argument("--attach", type=Path, action="append", default=[])
    parser.add_argument("--stylesheet", type=Path, action="append", default=[])
    args = parser.parse_args()
    options = {}
    if args.variant:
        options["pdf_variant"] = args.variant
    if args.attach:
        options["attachments"] = [weasyprint.Attachment(filename=str(path)) for path in args.attach]
    if args.stylesheet:
        options["stylesheets"] = [weasyprint.CSS(filename=str(path)) for path in args.stylesheet]
    document = weasyprint.HTML(filename=str(args.html), base_url=args.base_url.resolve().as_uri() + "/")
    document.write_pdf(str(args.pdf), **options)


if __name__ == "__main__":
    main()
