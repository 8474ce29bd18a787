"""Demo training content: the catalogue first, then modules and pathways that point at it."""


def seed(*, stdout, show_passwords: bool) -> None:
    from training import demo_catalogue, demo_learning

    demo_catalogue.seed(stdout=stdout)
    demo_learning.seed(stdout=stdout)
