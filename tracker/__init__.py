"""tracker: follow what a programme said it would do, and publish how far it has got."""

__version__ = "0.1.0"
