"""Evidence that outlives its links: checking source URLs and keeping web-archive captures.

The pages a programme cites move and vanish. This package checks every source link
(`checks`), captures each cited page or PDF as a WARC file (ISO 28500, `captures`), and keeps
what it found in `archive/<programme>/` beside the policies (`records`), dated, so that an
edition as of any date can say which links were dead then and where the archived copy is
(`state`). Every fetch goes through `fetch`, which only speaks http(s) to public addresses,
checked on the address actually connected to, within a size cap and a deadline.
"""
