import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The named cast is created for most tests here; slow password hashing is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
