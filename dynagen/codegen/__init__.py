"""Code generation: model -> view values -> Jinja templates -> black -> files."""
