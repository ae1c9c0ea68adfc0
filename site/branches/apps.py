from django.apps import AppConfig


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = "Branches"

    def ready(self):
        from django.db.models import Exists, OuterRef

        from accounts.mfa import mfa_required_when
        from branches import privacy
        from branches.models import BranchOfficer, RegionOfficer

        privacy.register()

        # Officers see members' records, so they need MFA like staff (AUTH-04).
        mfa_required_when(Exists(BranchOfficer.objects.filter(user=OuterRef("pk"))))
        mfa_required_when(Exists(RegionOfficer.objects.filter(user=OuterRef("pk"))))
