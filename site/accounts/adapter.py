from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Knowhow's seam into allauth. The user model has no username, so allauth
    must not try to fill one; who must use MFA is decided in accounts.mfa."""

    def populate_username(self, request, user):
        # The user model has no username field.
        return None
