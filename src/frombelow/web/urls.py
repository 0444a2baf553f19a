"""Page URLs: accounts, and one page per thing a member reads or does."""

from django.contrib.auth import views as auth_views
from django.urls import path

from frombelow.web import member_urls, record
from frombelow.web.views import (
    account,
    bodies,
    elections,
    home,
    petitions,
    referendums,
    sessions,
    sign_in,
    votes,
)

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", sign_in.SignInView.as_view(next_page="web:home"), name="login"),
    path("accounts/login/code/", sign_in.sign_in_code, name="sign-in-code"),
    path("accounts/two-factor/", account.security, name="two-factor"),
    path("accounts/two-factor/begin/", account.begin, name="two-factor-begin"),
    path("accounts/two-factor/confirm/", account.confirm, name="two-factor-confirm"),
    path("accounts/two-factor/disable/", account.disable, name="two-factor-disable"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="web:home"), name="logout"),
    path("bodies/<slug:slug>/", bodies.body, name="body"),
    path("bodies/<slug:slug>/record/", bodies.record, name="record"),
    path("motions/<int:pk>/", votes.motion, name="motion"),
    path("votes/<int:pk>/cast/", votes.cast, name="cast"),
    path("votes/<int:pk>/count/", votes.count, name="count"),
    path("decisions/<int:pk>/dissent/", votes.dissent, name="dissent"),
    path("decisions/<int:pk>/opt-out/", votes.opt_out, name="opt-out"),
    path("sessions/<int:pk>/", sessions.session, name="session"),
    path("sessions/<int:pk>/open/", sessions.open_session, name="open-session"),
    path("bodies/<slug:slug>/sessions/", sessions.schedule, name="schedule-session"),
    path("sessions/<int:pk>/items/", sessions.add_item, name="add-item"),
    path("sessions/<int:pk>/agenda/", sessions.send_agenda, name="send-agenda"),
    path("sessions/<int:pk>/close/", sessions.close_session, name="close-session"),
    path("sessions/items/<int:pk>/mandate/", sessions.propose_mandate, name="propose-mandate"),
    path("decisions/<int:pk>/ratify/", sessions.propose_ratification, name="propose-ratify"),
    path("sessions/votes/<int:pk>/tally/", sessions.tally, name="tally"),
    path("sessions/votes/<int:pk>/cast/", sessions.cast, name="delegation-cast"),
    path("sessions/votes/<int:pk>/close/", sessions.close, name="close-item"),
    path("bodies/<slug:slug>/elections/", elections.call, name="call-election"),
    path("elections/<int:pk>/", elections.election, name="election"),
    path("elections/<int:pk>/stand/", elections.stand, name="stand"),
    path("elections/<int:pk>/withdraw/", elections.withdraw, name="withdraw-candidacy"),
    path("elections/<int:pk>/open/", elections.open_vote, name="open-election"),
    path("terms/<int:term>/resign/", elections.resign, name="resign"),
    path("referendums/<int:pk>/", referendums.referendum, name="referendum"),
    path("referendums/<int:pk>/vote/", referendums.vote, name="referendum-vote"),
    path("referendums/<int:pk>/count/", referendums.count, name="referendum-count"),
    path("petitions/<int:pk>/", petitions.petition, name="petition"),
    path("petitions/<int:pk>/sign/", petitions.sign, name="sign"),
    path("terms/<int:term>/recall-petition/", petitions.recall, name="recall-petition"),
    *member_urls.urlpatterns,
    path("record/checkpoint", record.checkpoint, name="record-checkpoint"),
    path("record/consistency", record.consistency_view, name="record-consistency"),
    path("record/receipt/<int:seq>", record.receipt_view, name="record-receipt"),
]
