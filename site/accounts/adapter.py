from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Knowhow's seam into allauth: wording and who must use MFA."""

    def populate_username(self, request, user):
        # The user model has no username field.
        return None
