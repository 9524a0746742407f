"""What a report says: the context its templates display, computed before any template runs.

`context.build()` is the entry point; each section has its module (`summary`, `whatchanged`,
`priorities`, `citations`), with the small display records they share (`views`, `charts`,
`colours`, `progress`, `formatting`).
"""
