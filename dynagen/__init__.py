"""dynagen: typed Python modules for DynamoDB tables, generated from YAML specs."""

__version__ = "0.2.0"
