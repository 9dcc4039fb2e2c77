"""Properties of email normalization (hypothesis): what dedupes signers and letter authors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from hypothesis import example, given
from hypothesis import strategies as st

from lantern.privacy import email_dedupe_hash, normalize_email

# Addresses as people type them: ASCII mailboxes at real-looking domains.
LOCAL = st.from_regex(r"[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?", fullmatch=True).filter(
    lambda local: ".." not in local
)
DOMAIN = st.sampled_from(["example.org", "gmail.com", "yahoo.com", "poczta.onet.pl", "mail.ru"])


@given(st.text(max_size=120) | st.emails())
@example("a@b@example.org")
@example("anna@xn--80ak6aa92e.com")
@example("anna@пример.рф")
@example("anna@" + "a" * 64 + ".com")  # a label longer than IDNA allows
@example("+@gmail.com")
def test_any_text_is_a_normal_address_or_refused_and_normal_stays_normal(raw: str) -> None:
    try:
        normal = normalize_email(raw)
    except ValidationError as exc:
        assert exc.code == "invalid_email"
        return
    validate_email(normal)
    assert normal == normal.lower().strip() and " " not in normal
    assert normalize_email(normal) == normal


@given(LOCAL, DOMAIN, st.text(alphabet="abc123", max_size=6), st.sampled_from([0, 1, 2]))
def test_every_spelling_of_one_mailbox_dedupes_to_one_signer(
    local: str, domain: str, tag: str, spelling: int
) -> None:
    address = f"{local}@{domain}"
    typed = [f" {address.upper()} ", f"{local}+{tag}@{domain}", f"{local} @ {domain}"][spelling]
    assert normalize_email(typed) == normalize_email(address)
    assert email_dedupe_hash(normalize_email(typed)) == email_dedupe_hash(normalize_email(address))
