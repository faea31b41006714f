"""Call sites `mypy --strict` must refuse: each marked line carries `# E: <part of the message>`."""
