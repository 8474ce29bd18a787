def seed(*, stdout) -> None:
    """The demo module and pathways (built with e-learning)."""
