"""What the data says as of a date, for every reader of it: the status table (`overview`), a
priority's dated log (`history`), what changed between two dates (`changes`) and status counts
(`counts`). Read only; used by the commands, the reports, the email and the archive page."""
