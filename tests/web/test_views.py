"""The front page renders; the views' helpers."""

from django.test import Client

from frombelow.web.views.sessions import in_option_order


def test_home_renders_the_name_of_the_project() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert b"frombelow" in response.content


def test_votes_by_option_follow_the_vote_not_the_database() -> None:
    # PostgreSQL's jsonb hands back {"no": 1, "yes": 3, "abstain": 0} sorted by key length.
    stored = {"no": 1, "yes": 3, "abstain": 0, "spoilt": 2}
    assert in_option_order(stored, ["yes", "no", "abstain"]) == [
        ("yes", 3),
        ("no", 1),
        ("abstain", 0),
        ("spoilt", 2),
    ]
