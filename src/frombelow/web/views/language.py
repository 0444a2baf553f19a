"""The language switch on every page: Django's, and for a signed-in member, remembered."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from frombelow.services import notices
from frombelow.web.language import SESSION_LANGUAGE
from frombelow.web.pages import member_of


@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """Set the language cookie and go back (Django's view); a member's choice is also stored."""
    response = set_language(request)
    language = request.POST.get("language", "")
    member = member_of(request)
    if member is not None and language in dict(settings.LANGUAGES):
        notices.choose_language(member=member, language=language)
        request.session[SESSION_LANGUAGE] = language
    return response
