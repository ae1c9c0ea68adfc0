import pytest
from django.contrib.auth.hashers import check_password
from django.test import override_settings

from accounts.models import User


@pytest.mark.django_db
def test_create_user_signs_in_by_email_and_has_no_username():
    user = User.objects.create_user(
        email="Rep@EXAMPLE.org", password="a long enough password", display_name="Rep"
    )
    assert user.email == "Rep@example.org"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username") or user.username is None
    assert str(user) == "Rep"
    assert user.get_full_name() == "Rep"
    assert not user.is_staff and not user.is_superuser


@pytest.mark.django_db
def test_create_user_requires_an_email():
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user(email="", password="x" * 20)
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_create_superuser_is_staff_and_superuser():
    user = User.objects.create_superuser(email="a@example.org", password="x" * 20)
    assert user.is_staff and user.is_superuser


def test_user_model_keeps_no_first_or_last_name():
    names = {field.name for field in User._meta.get_fields()}
    assert {"email", "display_name"} <= names
    assert not {"username", "first_name", "last_name"} & names


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2():
    user = User.objects.create_user(email="a@example.org", password="a long enough password")
    assert user.password.startswith("argon2$argon2id$")
    assert check_password("a long enough password", user.password)
