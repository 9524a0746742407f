"""Commands that make and send editions: report, distribute, publish."""
