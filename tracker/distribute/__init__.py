"""Sending and publishing editions.

- `send`: `distribute()`, the library call behind `tracker distribute`; `message`: one message
  per recipient and edition; `smtp`: sending with retries; `deliveries`: the append-only log;
- `archive`: `publish()`, behind `tracker publish`: the index page and Atom feed of reports/.

The format of policies/distribution.yaml is the model's (tracker/model/settings.py), so
`tracker validate` checks it without loading any of this.
"""
