def seed(*, stdout) -> None:
    """Resources, case studies and events (built with the catalogue)."""
