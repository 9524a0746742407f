"""Languages: text in any script, and editions in several languages.

- `scripts`: which script a text is written in, the language that implies, its direction;
- `fonts`: the font faces the report names for each language (the CSS is generated here);
- `glyphs`: the check that every character about to be drawn has a glyph in the font that
  will draw it (fontconfig names the files, fontTools reads their character maps);
- `texts`: the translatable texts of a programme, each with its path (a PO msgctxt);
- `po`: the PO files beside a programme (`policies/<id>.<lang>.po`), read, updated, counted;
- `catalogs`: tracker's own words in each language (gettext catalogs, compiled at install);
- `locale`: dates and numbers as a language writes them (Babel, CLDR data);
- `edition`: one language's view of a programme (translated texts, what is left untranslated).
"""
