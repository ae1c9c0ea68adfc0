"""Builders for regions, branches, members and officers."""

import itertools

from branches.models import Branch, BranchOfficer, Membership, Region, RegionOfficer
from branches.services import membership_join
from tests.factories import UserFactory, with_mfa

_numbers = itertools.count(1)


def make_region(name=None):
    n = next(_numbers)
    return Region.objects.create(name=name or f"Region {n}", slug=f"region-{n}")


def make_branch(name=None, *, region=None, employer="Northshire NHS Trust"):
    n = next(_numbers)
    return Branch.objects.create(
        name=name or f"Branch {n}",
        slug=f"branch-{n}",
        region=region or make_region(),
        employer=employer,
    )


def make_officer(branch, user=None, *, mfa=True):
    user = user or UserFactory(display_name="Olu Officer")
    BranchOfficer.objects.create(branch=branch, user=user)
    if mfa:
        with_mfa(user)
    return user


def make_region_officer(region, user=None, *, mfa=True):
    user = user or UserFactory(display_name="Rhi Region")
    RegionOfficer.objects.create(region=region, user=user)
    if mfa:
        with_mfa(user)
    return user


def make_member(branch, user=None, *, shares=True, **user_fields) -> Membership:
    """A rep who joined `branch` through the real service."""
    user = user or UserFactory(**user_fields)
    return membership_join(user=user, branch=branch, shares_progress=shares)
