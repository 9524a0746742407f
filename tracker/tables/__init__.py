"""Programme data as tidy tables, out and in: `tracker export` and `tracker import`.

Five tables, one row per fact, with the same columns in every format (`columns`): status
entries, observations, indicators, milestones and sources, as recorded on an as-of date
(`rows`). They are written as CSV files, one XLSX workbook or one JSON document (`write`),
text cells neutralised against formula injection (`cells`). Files in the layout of the
`statuses` or `observations` table are read back (`read`), every row checked by the rules of
`tracker update` and `record` (`check`), and appended by one edit per programme file
(`imports`, through tracker.edit.operations).
"""
