"""The file format and the records: what a programme file may hold and what it means.

- `yamlsafe`: loading YAML safely, with the position of every value and the bytes parsed;
- `fields` and `spec`: the value types and the shape of a programme file, declared once;
- `validate`: every problem of a file, located; `records`: the immutable records built from it;
- `statuses`: the default status vocabulary; `workspace`: `policies/` and `reports/`, and
  `Workspace.load_all()`, the entry point that loads and validates every programme;
- `settings` and `addresses`: the format of `policies/distribution.yaml`.
"""
