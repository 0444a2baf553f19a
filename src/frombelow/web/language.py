"""The signed-in member's language: chosen on the site, kept with their account, used on pages.

Django's LocaleMiddleware reads the language from the browser's cookie or its Accept-Language; this
middleware, after the account is known, puts the member's own choice (`Member.language`) over
both, so that it follows them to another browser and survives signing out and in. The choice is
read once a session and kept in it; choosing anew (`web.views.language`) updates both.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from frombelow.services.queries.members import language_of_user

# The session's key for the member's chosen language ("" where they chose none).
SESSION_LANGUAGE = "frombelow.language"


def chosen_language(request: HttpRequest) -> str:
    """Return the language the signed-in member chose, or "" (none chosen, or not signed in)."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or session is None or not user.is_authenticated:
        return ""
    language = session.get(SESSION_LANGUAGE)
    if not isinstance(language, str):
        language = language_of_user(user.pk)
        session[SESSION_LANGUAGE] = language
    return language if language in dict(settings.LANGUAGES) else ""


def member_language_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Answer a signed-in member in the language they chose, and keep it in the cookie too."""

    def middleware(request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = get_response(request)
        # The cookie follows, so that the pages stay in the member's language once signed out.
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    return middleware
