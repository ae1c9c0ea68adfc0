from wagtail import hooks


@hooks.register("register_admin_viewset")
def register_branches_admin():
    from branches.admin_views import BranchesGroup

    return BranchesGroup()


@hooks.register("register_log_actions")
def register_branch_actions(actions):
    for action, label, message in [
        ("knowhow.branch.join", "Join branch", "Joined the branch"),
        ("knowhow.branch.leave", "Leave branch", "Left the branch"),
        ("knowhow.consent.give", "Give consent", "Agreed to share progress with the branch"),
        ("knowhow.consent.withdraw", "Withdraw consent", "Stopped sharing progress"),
        ("knowhow.branch.member_view", "View member", "Officer viewed a member's record"),
        ("knowhow.branch.export", "Export members", "Officer downloaded the member table"),
        ("knowhow.branch.invite_email", "Email invitations", "Officer emailed invitations"),
        ("knowhow.branch.invite_regenerate", "New invitation link", "Officer made a new link"),
        ("knowhow.role.appoint", "Appoint officer", "Officer appointed"),
        ("knowhow.role.remove", "Remove officer", "Officer role removed"),
    ]:
        actions.register_action(action, label, message)
