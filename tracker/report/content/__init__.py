"""What a report says: the context its templates display, computed before any template runs.

`context.build()` is the entry point; each section has its module (`summary`, `whatchanged`,
`corrections`, `priorities`, `citations`), with the small display records they share (`views`,
`charts`, `colours`, `progress`), and `language`: how each text is shown in the edition's
language (dates and numbers as that language writes them come from `tracker.i18n.locale`).
"""
