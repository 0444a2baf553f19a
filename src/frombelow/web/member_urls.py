"""Page URLs for the membership roll, invitations, and the choice of notices and language."""

from django.urls import path

from frombelow.web.views import invitations, language, notices, roll

urlpatterns = [
    path("bodies/<slug:slug>/roll/", roll.roll_page, name="roll"),
    path("bodies/<slug:slug>/roll/preview/", roll.preview, name="roll-preview"),
    path("bodies/<slug:slug>/roll/import/", roll.confirm, name="roll-import"),
    path("bodies/<slug:slug>/roll.csv", roll.export, name="roll-csv"),
    path(
        "bodies/<slug:slug>/roll/members/<int:member>/invitation/",
        roll.invite_again,
        name="roll-invite",
    ),
    path("accounts/notices/", notices.notices_page, name="notices"),
    path("accounts/language/", language.choose, name="language"),
    path(
        "accounts/invitation/<str:uidb64>/<str:token>/",
        invitations.invitation,
        name="invitation",
    ),
]
