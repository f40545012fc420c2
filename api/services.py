"""Issue and check API tokens. The plain key leaves this module once, when the token is created."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from api.models import ApiToken

KEY_PREFIX = "mgf_"
PREFIX_LENGTH = len(KEY_PREFIX) + 6
LAST_USED_RESOLUTION = timedelta(minutes=1)  # write last_used_at at most once a minute per token
MAX_KEY_LENGTH = 200


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(token: ApiToken) -> str:
    """Give an unsaved token a fresh key; return the plain key, which is not stored anywhere."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token.key_hash = hash_key(key)
    token.prefix = key[:PREFIX_LENGTH]
    return key


def token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """Create a token for a user; return it and its plain key (shown to the user once)."""
    token = ApiToken(user=user, name=name)
    key = issue_key(token)
    token.save()
    return token, key


def token_user(key: str) -> AbstractBaseUser | None:
    """The active user a key belongs to, or None; notes when the token was last used."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
