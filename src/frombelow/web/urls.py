"""Page URLs."""

from django.urls import path

from frombelow.web import record, views

urlpatterns = [
    path("", views.home, name="home"),
    path("record/checkpoint", record.checkpoint, name="record-checkpoint"),
]
