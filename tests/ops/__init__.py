"""The table operations of dynagen.ops: plans and their application on DynamoDB Local."""
