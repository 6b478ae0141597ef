"""Demo data for ``pamong demo``: seeded once (see ``seed``)."""


def seed(tenant):
    return None
