"""Page URLs."""

from django.urls import path

from frombelow.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
