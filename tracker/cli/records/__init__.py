"""Commands that read or change the programme records: validate, schema, init, status, history,
and the editing commands (update, record, milestone, source add)."""
