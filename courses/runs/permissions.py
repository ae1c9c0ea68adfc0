"""Who may act for a run (issue #17)."""


def may_manage(*, run, user) -> bool:
    """The run's tutor and the educators who may edit runs confirm places and
    keep the register."""
    if not (user.is_authenticated and user.is_active):
        return False
    return run.tutor_id == user.pk or user.has_perm("courses.change_courserun")
