"""Due process on the pages: a charge filed, its reply deadline shown, the accused's reply, the
motion that hears it (its vote refused before the reply), the sanction, and the appeal to the
council above, which the expelled member reaches though no longer on the roll."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from frombelow.core.errors import DueProcessError
from frombelow.db.models import Charge, Member, Motion, RecordEntry, Reply, Sanction, Vote
from frombelow.services import charges, hearings, motions
from frombelow.services.queries.charges import reply_due
from tests.services.test_charges import put_at_once
from tests.services.world import Clock, Federation, all_yes, federation, vote_in
from tests.web.scene import account

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(clock: Clock) -> Federation:
    return federation(clock, sizes={"docks": 4, "rail": 3})


def signed_in(member: Member, username: str, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(account(member, username))
    return client


def _stored() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (RecordEntry, Charge, Reply, Motion, Vote, Sanction))


def test_a_charge_is_filed_replied_to_and_heard_each_step_with_its_deadline(
    fed: Federation, clock: Clock
) -> None:
    m = fed.members["docks"]
    filer, accused = signed_in(m[1], "ana"), signed_in(m[3], "diego")
    charges_page = reverse("web:body-charges", args=["docks"])
    form = filer.get(charges_page).text
    assert f'value="member:{m[3].pk}"' in form
    before = _stored()
    refused = filer.post(reverse("web:file-charge", args=["docks"]), {"text": "x"}, follow=True)
    assert "Refused: a charge accuses one member body, one member or one statement" in refused.text
    assert _stored() == before
    filed = filer.post(
        reverse("web:file-charge", args=["docks"]),
        {"accused": f"member:{m[3].pk}", "text": "Took the strike fund"},
        follow=True,
    )
    charge = Charge.objects.get()
    assert filed.redirect_chain[-1][0] == reverse("web:charge", args=[charge.pk])
    assert "Took the strike fund" in filed.text
    assert "reply due by" in filed.text
    assert 'name="text"' in accused.get(reverse("web:charge", args=[charge.pk])).text
    # The filer proposes the hearing; its vote waits for the reply.
    proposed = filer.post(
        reverse("web:propose-hearing", args=[charge.pk]),
        {"sanction": "expulsion", "text": ""},
        follow=True,
    )
    motion = Motion.objects.get(charge=charge)
    assert proposed.redirect_chain[-1][0] == reverse("web:motion", args=[motion.pk])
    assert (motion.kind, motion.member, motion.details) == (
        "sanction-member",
        m[3],
        {"sanction": "expulsion"},
    )
    assert motion.title == f"Expel {m[3].name}"
    replied = accused.post(
        reverse("web:reply-charge", args=[charge.pk]),
        {"text": "I borrowed it and paid it back"},
        follow=True,
    )
    assert "Your reply is in the record." in replied.text
    assert (
        "I borrowed it and paid it back" in filer.get(reverse("web:charge", args=[charge.pk])).text
    )
    # Only the accused replies, and once.
    before = _stored()
    again = accused.post(
        reverse("web:reply-charge", args=[charge.pk]), {"text": "More"}, follow=True
    )
    assert "has been answered already" in again.text
    assert _stored() == before


def test_an_expulsion_is_not_voted_before_the_reply(fed: Federation, clock: Clock) -> None:
    m = fed.members["docks"]
    charge = charges.file_charge(
        actor=m[1], body=fed.assemblies["docks"], accused_member=m[3], text="Scabbed"
    )
    motion = hearings.propose_hearing(actor=m[1], charge=charge, sanction="expulsion")
    page = signed_in(m[1], "ana").get(reverse("web:charge", args=[charge.pk])).text
    due = reply_due(charge)
    assert "The body may put its motion on the charge to the vote from" in page
    assert due.strftime("%Y") in page
    motions.submit_motion(actor=m[1], motion=motion)
    before = _stored()
    with pytest.raises(DueProcessError, match="no written reply"):
        put_at_once(motion)
    assert _stored() == before


def test_the_expelled_member_appeals_and_the_council_may_lift_it(
    fed: Federation, clock: Clock
) -> None:
    docks, m = fed.assemblies["docks"], fed.members["docks"]
    charge = charges.file_charge(actor=m[1], body=docks, accused_member=m[3], text="Scabbed")
    charges.reply_to_charge(actor=m[3], charge=charge, text="I did not")
    motion = motions.submit_motion(
        actor=m[1], motion=hearings.propose_hearing(actor=m[1], charge=charge, sanction="expulsion")
    )
    assert vote_in(clock, motion, all_yes(m[:3])).outcome == "carried"
    sanction = Sanction.objects.get()
    expelled = signed_in(m[3], "diego")
    # No longer on the roll, they read their charge and their sanction, and appeal from there.
    assert expelled.get(reverse("web:body", args=["docks"])).status_code == 403
    assert (
        reverse("web:sanction", args=[sanction.pk])
        in expelled.get(reverse("web:charge", args=[charge.pk])).text
    )
    assert (
        reverse("web:sanction", args=[sanction.pk]) in expelled.get(reverse("web:my-charges")).text
    )
    page = expelled.get(reverse("web:sanction", args=[sanction.pk])).text
    assert '<option value="federation">' in page
    appealed = expelled.post(
        reverse("web:appeal", args=[sanction.pk]),
        {"council": "federation", "text": "The fund was paid back"},
        follow=True,
    )
    assert "Your appeal is made" in appealed.text
    # The rail depot's delegate reads the appeal through the council, and proposes to lift it.
    delegate = signed_in(fed.delegates["rail"], "rosa")
    appeal = sanction.appeals.get()
    assert (
        "The fund was paid back" in delegate.get(reverse("web:sanction", args=[sanction.pk])).text
    )
    proposed = delegate.post(reverse("web:propose-appeal", args=[appeal.pk]), {}, follow=True)
    lifting = Motion.objects.get(appeal=appeal)
    assert proposed.redirect_chain[-1][0] == reverse("web:motion", args=[lifting.pk])
    assert (lifting.kind, lifting.body) == ("decide-appeal", fed.council)
    # A member of the rail depot who is no delegate may not propose in the council.
    before = _stored()
    refused = signed_in(fed.members["rail"][2], "lucia").post(
        reverse("web:propose-appeal", args=[appeal.pk]), {}, follow=True
    )
    assert "Refused" in refused.text
    assert _stored() == before
    # Nor may anyone but the sanctioned member appeal.
    refused = signed_in(m[1], "ana").post(
        reverse("web:appeal", args=[sanction.pk]),
        {"council": "federation", "text": "x"},
        follow=True,
    )
    assert "Refused: an appeal is the sanctioned member&#x27;s own act" in refused.text


def test_a_member_of_another_body_reads_no_charge_of_it(fed: Federation) -> None:
    m = fed.members["docks"]
    charge = charges.file_charge(
        actor=m[1], body=fed.assemblies["docks"], accused_member=m[3], text="x"
    )
    outsider = signed_in(fed.members["rail"][1], "pablo")
    assert outsider.get(reverse("web:charge", args=[charge.pk])).status_code == 403
    assert outsider.get(reverse("web:body-charges", args=["docks"])).status_code == 403
    before = _stored()
    assert (
        outsider.post(reverse("web:reply-charge", args=[charge.pk]), {"text": "x"}).status_code
        == 403
    )
    assert _stored() == before


def test_the_charge_page_shows_a_deadline_passed_without_a_reply(
    fed: Federation, clock: Clock
) -> None:
    m = fed.members["docks"]
    charge = charges.file_charge(
        actor=m[1], body=fed.assemblies["docks"], accused_member=m[3], text="x"
    )
    clock.advance(days=15)
    page = signed_in(m[1], "ana", "es").get(reverse("web:charge", args=[charge.pk])).text
    assert "No llegó ninguna respuesta en plazo" in page
    listed = signed_in(m[2], "carmen").get(reverse("web:body-charges", args=["docks"])).text
    assert "no reply in time" in listed
