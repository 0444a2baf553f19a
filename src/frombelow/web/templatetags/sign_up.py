"""`{% sign_up_open as open %}`: whether this installation lets a person make their own account."""

from __future__ import annotations

from django import template

from frombelow.services import sign_up

register = template.Library()


@register.simple_tag
def sign_up_open() -> bool:
    """Tell whether the pages offer the open sign-up (`FROMBELOW_OPEN_SIGN_UP`)."""
    return sign_up.is_open()
