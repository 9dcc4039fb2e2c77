"""Partners' API tokens: shown once, stored as a hash, revocable at once."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.utils import timezone

from audit.services import Action as Audit
from audit.services import record
from partners.models import ApiToken, Partner

TOKEN_PREFIX = "lnt_"  # noqa: S105 - a public marker, not a secret


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(
    partner: Partner,
    name: str,
    scopes: list[str],
    *,
    created_by: User | None = None,
    by: str = "",
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
    record(
        Audit.TOKEN_CREATED,
        actor=created_by,
        by=by,
        obj=token,
        partner=partner,
        detail=f"{token.name} ({token.prefix}…): {', '.join(token.scopes)}",
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


def revoke_api_token(token: ApiToken, *, by: AbstractBaseUser | AnonymousUser | None) -> None:
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        detail = f"{token.name} ({token.prefix}…)"
        record(Audit.TOKEN_REVOKED, actor=by, obj=token, partner=token.partner, detail=detail)


def record_data_access(
    partner: Partner,
    what: str,
    records: int,
    *,
    exported: bool = False,
    user: AbstractBaseUser | AnonymousUser | None = None,
    token: ApiToken | None = None,
) -> None:
    """Audit the showing (or, `exported`, the handing out) of supporters' personal data."""
    record(
        Audit.DATA_EXPORTED if exported else Audit.DATA_VIEWED,
        actor=user,
        token=token,
        partner=partner,
        records=records,
        detail=what,
    )
