"""Page URLs for founding and joining: assemblies founded from nothing, applications to join,
leaving, a council's founding; and the open sign-up where the installation allows it."""

from django.urls import path

from frombelow.web.views import foundings, joining, sign_up

urlpatterns = [
    path("accounts/sign-up/", sign_up.ask, name="sign-up"),
    path("accounts/sign-up/<str:token>/", sign_up.confirm, name="sign-up-confirm"),
    path("assemblies/", foundings.hub, name="assemblies"),
    path("foundings/new/", foundings.convene, name="convene"),
    path("foundings/<int:pk>/", foundings.founding_page, name="founding"),
    path("foundings/<int:pk>/accept/", foundings.accept, name="accept-founding"),
    path("foundings/<int:pk>/decline/", foundings.decline, name="decline-founding"),
    path("foundings/<int:pk>/invite/", foundings.invite_more, name="invite-founders"),
    path("foundings/<int:pk>/abandon/", foundings.abandon, name="abandon-founding"),
    path("bodies/<slug:slug>/apply/", joining.apply, name="apply"),
    path("bodies/<slug:slug>/leave/", joining.leave, name="leave"),
    path("bodies/<slug:slug>/admissions/", joining.admit_many, name="admit-applicants"),
    path("applications/<int:pk>/withdraw/", joining.withdraw, name="withdraw-application"),
    path("applications/<int:pk>/admit/", joining.admit, name="admit-applicant"),
    path("applications/<int:pk>/motion/", joining.propose_admission, name="propose-admission"),
    path(
        "bodies/<slug:slug>/council-foundings/",
        foundings.propose_council,
        name="propose-council",
    ),
    path("council-foundings/<int:pk>/", foundings.council_founding, name="council-founding"),
    path("council-foundings/<int:pk>/motions/", foundings.second, name="second-council-founding"),
]
