"""One module per `dynagen` verb: each has `HELP`, `configure(parser)` and `run(args) -> int`.

`dynagen.cli` only parses and dispatches. A verb module imports nothing heavy at module level
(no Jinja2, PyYAML, black or boto3): `dynagen --help` must work on a runtime-only install, so
each `run` imports what it needs, after `common.require_generator()` has said what is missing.
"""
