"""Page URLs for what members do from below: petitions, tendencies and due process."""

from django.urls import path

from frombelow.web.views import charges, petitions, tendencies

urlpatterns = [
    path("bodies/<slug:slug>/petitions/", petitions.body_petitions, name="body-petitions"),
    path("bodies/<slug:slug>/petitions/open/", petitions.open_petition, name="open-petition"),
    # Posting to the list founds one: no fixed word under tendencies/ that a slug could take.
    path("tendencies/", tendencies.tendency_list, name="tendencies"),
    path("tendencies/<slug:slug>/", tendencies.tendency, name="tendency"),
    path("tendencies/<slug:slug>/join/", tendencies.join, name="join-tendency"),
    path("tendencies/<slug:slug>/leave/", tendencies.leave, name="leave-tendency"),
    path("tendencies/<slug:slug>/statements/", tendencies.publish, name="publish-statement"),
    path("bodies/<slug:slug>/charges/", charges.body_charges, name="body-charges"),
    path("bodies/<slug:slug>/charges/file/", charges.file, name="file-charge"),
    path("charges/mine/", charges.mine, name="my-charges"),
    path("charges/<int:pk>/", charges.charge, name="charge"),
    path("charges/<int:pk>/reply/", charges.reply, name="reply-charge"),
    path("charges/<int:pk>/hearing/", charges.propose_hearing, name="propose-hearing"),
    path("sanctions/<int:pk>/", charges.sanction_page, name="sanction"),
    path("sanctions/<int:pk>/appeal/", charges.appeal, name="appeal"),
    path("appeals/<int:pk>/hearing/", charges.propose_appeal_decision, name="propose-appeal"),
]
