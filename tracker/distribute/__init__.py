"""Distributing editions by email.

- `settings`: policies/distribution.yaml, validated through the spec (`load`, `password`);
- `addresses`: strict checks of addresses, names and senders;
- `message`: one message per recipient and edition; `summary`: status counts, what changed;
- `smtp`: sending with retries; `deliveries`: the append-only delivery log;
- `run`: `distribute`, the library call behind `tracker distribute`.

Submodules are imported where needed, so `tracker validate` loads only `settings`.
"""
