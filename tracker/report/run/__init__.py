"""How a run is organised: `pipeline.build()` reads top to bottom (plan, skip what is up to date,
render, stage, commit). `inputs` gathers what an edition depends on, `manifest` records it,
`unchanged` recognises a run with nothing to do, `workers` renders in processes of their own,
`editions` finds earlier editions, `revision` and `snapshot` the data's git revision and
as-of copy."""
