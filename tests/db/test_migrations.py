"""The migrations describe the models exactly: no change is left without its migration."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    call_command("makemigrations", "frombelow", "--check", "--dry-run", verbosity=0)
