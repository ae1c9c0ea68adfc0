from wagtail import hooks


@hooks.register("register_log_actions")
def register_account_actions(actions):
    actions.register_action(
        "knowhow.account.export", "Export personal data", "Member's personal data exported"
    )
    actions.register_action(
        "knowhow.account.erase", "Erase account", "Member's account and personal data erased"
    )
