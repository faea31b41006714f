"""The `dynagen` verbs beyond build and check: validate, schema, export, tables, diff, vet."""
