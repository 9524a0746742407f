"""Distributing editions by email: settings, messages, SMTP with retries, the delivery log.

`run.distribute` is the library call behind `tracker distribute`.
"""
from __future__ import annotations

from .run import Outcome, distribute, select
from .settings import PASSWORD_ENV, Settings, load, password

__all__ = ["Outcome", "PASSWORD_ENV", "Settings", "distribute", "load", "password", "select"]
