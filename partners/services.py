"""Partners' API tokens: shown once, stored as a hash, revocable at once."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.utils import timezone

from partners.models import ApiToken, Partner, PersonalDataAccess

TOKEN_PREFIX = "lnt_"  # noqa: S105 - a public marker, not a secret


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(
    partner: Partner, name: str, scopes: list[str], *, created_by: User | None = None
) -> tuple[ApiToken, str]:
    """Create a token; the plain text is returned here and never again."""
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(sorted(unknown))}")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        partner=partner,
        name=name,
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        token_hash=_hash(plain),
        scopes=sorted(scopes),
        created_by=created_by,
    )
    return token, plain


def authenticate_token(plain: str) -> ApiToken | None:
    """The live token with this text, or None. Tokens are compared by hash in the database."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    try:
        token = ApiToken.objects.select_related("partner").get(
            token_hash=_hash(plain), revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def revoke_api_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def record_data_access(
    partner: Partner,
    kind: str,
    records: int,
    *,
    user: AbstractBaseUser | AnonymousUser | None = None,
    token: ApiToken | None = None,
) -> PersonalDataAccess:
    """Write the audit entry for showing or exporting supporters' contact data."""
    return PersonalDataAccess.objects.create(
        partner=partner,
        kind=kind,
        records=records,
        user_id=user.pk if user is not None and user.is_authenticated else None,
        token=token,
    )
