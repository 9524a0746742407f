"""Changing the files users wrote: round trip (comments kept), a lock per file, atomic writes, git.

`operations` holds the editing commands' library (`add_entry`, `add_observation`,
`complete_milestone`, `add_source`), all taking one path, `operations.apply`: lock, load,
plan, edit by round trip (`roundtrip`: the new text inserted in place), validate, write
atomically, commit. `scaffold` creates a workspace. Nothing is imported here, so `tracker
report` (which writes through `atomic`) loads none of the editing code.
"""
