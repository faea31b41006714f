"""Call sites of the generated example modules that `mypy --strict` must accept.

Nothing here runs at import: every use sits in a function that takes the table as a parameter.
"""
