"""Operating tables from their specs: the table a spec describes, its CloudFormation export, the
steps that bring a live table to it (`dynagen tables plan/apply`), breaking changes between two
versions of the specs (`dynagen diff`) and an expert's warnings (`dynagen vet`).

The CreateTable request is the generated `create_table()`'s own (`dynagen.codegen.view`), so a
table made by `tables apply`, by CloudFormation or by generated code is the same table.
"""
