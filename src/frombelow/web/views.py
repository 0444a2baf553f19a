"""Page views: parse the request, call one service or query, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """Render the front page."""
    return render(request, "web/home.html")
