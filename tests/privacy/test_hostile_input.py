"""Hostile input to the data-rights forms (issue #16): a clear error and
nothing erased, never a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from tests.accounts.test_hostile_input import FUZZ, XSS_CORPUS
from tests.factories import UserFactory, with_mfa

hostile_text = st.one_of(st.sampled_from(XSS_CORPUS), st.text(max_size=300))
User = get_user_model()


@pytest.mark.django_db
@FUZZ
@given(password=hostile_text)
def test_delete_account_refuses_any_wrong_password(client, password):
    cache.clear()  # each example is a fresh attempt, not a rate-limited one
    member = UserFactory()
    client.force_login(member)
    response = client.post("/accounts/delete/", {"password": password})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
@FUZZ
@given(
    email=hostile_text, action=st.sampled_from(["erase", "export", "", "x"]), reason=hostile_text
)
def test_data_requests_never_error_and_never_erase_by_mistake(client, email, action, reason):
    cache.clear()
    admin = UserFactory(is_superuser=True, is_staff=True)
    with_mfa(admin)
    # Examples share the test's transaction: make the member once.
    member = User.objects.filter(email="target@example.org").first() or UserFactory(
        email="target@example.org"
    )
    client.force_login(admin)
    response = client.post(
        "/admin/data-requests/", {"email": email, "action": action, "reason": reason}
    )
    # Only a real address of the member erases or exports; anything else is a form error.
    assert response.status_code == 200
    if not response.streaming:
        assert response.context["form"].errors
    assert User.objects.filter(pk=member.pk).exists()
