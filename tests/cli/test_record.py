"""`frombelow record`: receipts checked later against a later checkpoint; a witness that cosigns."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from frombelow.cli import record as cli
from frombelow.cli.main import main
from frombelow.core.record.checkpoint import Checkpoint as CheckpointText
from frombelow.core.record.checkpoint import sign_checkpoint
from frombelow.core.record.wire import witness_key_id
from frombelow.db.models import Member, RecordEntry
from frombelow.services import checkpoints
from frombelow.services.record import append_entry
from tests.services.world import assembly, person

pytestmark = pytest.mark.django_db

URL = "http://record.test"


@pytest.fixture(autouse=True)
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Sign with a test key, and let the CLI fetch from the test server instead of the network."""
    client = Client()

    def fetch(url: str) -> bytes:
        assert url.startswith(URL)
        response = client.get(url[len(URL) :])
        assert response.status_code == 200, response.content
        return response.content

    monkeypatch.setattr(cli, "_fetch", fetch)
    with override_settings(RECORD_SIGNER_KEY_FILE=tmp_path / "signer.key"):
        yield


def _acts(n: int, about: Member | None = None) -> None:
    """Append n entries of no body, about `about` (who may read them) where given."""
    for i in range(n):
        subject = f"member:{about.pk}" if about is not None else f"n{i}"
        with transaction.atomic():
            append_entry(actor="system", action="test.done", subject=subject, data={"n": i})
        checkpoints.sign_checkpoint()


def _reader() -> tuple[Member, Client]:
    """Return a member, and a client signed in as them: receipts are for those who may read."""
    member = person("Ana Ruiz")
    user = User.objects.create_user(username="ana")
    Member.objects.filter(pk=member.pk).update(user=user)
    client = Client()
    client.force_login(user)
    return member, client


def _key_file(tmp_path: Path) -> Path:
    path = tmp_path / "verifier.txt"
    path.write_text(checkpoints.verifier().text())
    return path


def test_a_receipt_is_checked_against_its_checkpoint_and_a_later_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ana, client = _reader()
    _acts(3, about=ana)
    response = client.get("/record/receipt/1")
    assert response.status_code == 200
    receipt = tmp_path / "receipt.json"
    receipt.write_bytes(response.content)
    _acts(4, about=ana)
    key = _key_file(tmp_path)
    assert main(["record", "receipt-check", str(receipt), "--verifier", str(key)]) == 0
    # Entry 0 is Ana's registration; entries 1 to 3 the acts, signed as they came.
    assert "entry 1 (test.done) is in the record of 4" in capsys.readouterr().out
    argv = ["record", "receipt-check", str(receipt), "--verifier", str(key), "--url", URL]
    assert main(argv) == 0
    assert "the record of 8 entries today extends it" in capsys.readouterr().out
    # A receipt whose entry was changed does not check.
    data = json.loads(receipt.read_text())
    assert f'"member:{ana.pk}"' in data["entry"]
    data["entry"] = data["entry"].replace(f'"member:{ana.pk}"', '"member:999999"')
    receipt.write_text(json.dumps(data))
    assert main(["record", "receipt-check", str(receipt), "--verifier", str(key)]) == 1
    assert "FAILED: inclusion proof for leaf 1 of 4 does not reach root" in capsys.readouterr().out


def test_proofs_are_refused_for_sizes_the_record_does_not_have() -> None:
    _acts(2)
    assert Client().get("/record/consistency?from=1&to=2").status_code == 200
    assert Client().get("/record/consistency?from=2&to=1").status_code == 404
    assert Client().get("/record/consistency?from=1&to=9").status_code == 404
    assert Client().get("/record/consistency?from=x&to=2").status_code == 400
    assert _reader()[1].get("/record/receipt/5").status_code == 404


def test_a_receipt_is_read_only_by_whoever_may_read_its_entry() -> None:
    """docs/access.md: a body's entry for whoever may read the body; an entry of no body for the
    member it is by or about; no visitor reads an entry, though checkpoints are public."""
    ana, client = _reader()
    dockers = [person(f"Docker {i}") for i in range(3)]
    assembly("docks", dockers)
    miners = [person(f"Miner {i}") for i in range(3)]
    assembly("mines", miners)
    _acts(1, about=ana)
    checkpoints.sign_checkpoint()
    docks_entry = RecordEntry.objects.filter(body__slug="docks").order_by("seq").first()
    about_ana = RecordEntry.objects.get(action="test.done")
    about_other = RecordEntry.objects.filter(body__isnull=True, action="member.registered").exclude(
        subject=f"member:{ana.pk}"
    )[0]
    assert docks_entry is not None
    anonymous = Client()
    assert anonymous.get("/record/checkpoint").status_code == 200
    assert anonymous.get(f"/record/receipt/{about_ana.seq}").status_code == 401
    assert client.get(f"/record/receipt/{about_ana.seq}").status_code == 200
    assert client.get(f"/record/receipt/{about_other.seq}").status_code == 403
    assert client.get(f"/record/receipt/{docks_entry.seq}").status_code == 403
    docker = User.objects.create_user(username="docker")
    Member.objects.filter(pk=dockers[0].pk).update(user=docker)
    as_docker = Client()
    as_docker.force_login(docker)
    assert as_docker.get(f"/record/receipt/{docks_entry.seq}").status_code == 200
    miner = User.objects.create_user(username="miner")
    Member.objects.filter(pk=miners[0].pk).update(user=miner)
    as_miner = Client()
    as_miner.force_login(miner)
    assert as_miner.get(f"/record/receipt/{docks_entry.seq}").status_code == 403


def test_a_witness_cosigns_what_extends_what_it_saw_and_refuses_a_fork(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _acts(2)
    state = tmp_path / "witness.json"
    argv = ["record", "witness", URL, "--state", str(state), "--name", "dockers.witness"]
    assert main([*argv, "--verifier", str(_key_file(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "first checkpoint seen, of 2 entries" in out
    # The cosignature line verifies with the witness's key over the tlog-cosignature message.
    line = out.strip().splitlines()[-1]
    assert line.startswith("— dockers.witness ")
    signed = base64.b64decode(line.split(" ")[2])
    saved = json.loads(state.read_text())
    # name+keyid+key: the key's base64 may itself hold '+', so split at the first two only.
    public = base64.b64decode(saved["witness_verifier"].split("+", 2)[2])[1:]
    assert signed[:4] == witness_key_id("dockers.witness", public)
    seconds = int.from_bytes(signed[4:12], "big")
    text = checkpoints.latest_checkpoint().note.split("\n\n")[0] + "\n"
    message = f"cosignature/v1\ntime {seconds}\n{text}".encode()
    Ed25519PublicKey.from_public_bytes(public).verify(signed[12:], message)
    assert state.stat().st_mode & 0o077 == 0
    _acts(3)
    assert main(argv) == 0
    assert "the checkpoint of 5 extends the one of 2 seen before" in capsys.readouterr().out
    # A split view: the operator shows this witness a checkpoint of another history.
    forged = sign_checkpoint(
        CheckpointText(checkpoints.origin(), 6, b"\x07" * 32), checkpoints.signer()
    )
    real_fetch = cli._fetch
    monkeypatch.setattr(
        cli,
        "_fetch",
        lambda url: forged.encode() if url.endswith("/record/checkpoint") else real_fetch(url),
    )
    _acts(1)
    assert main(argv) == 1
    assert "FAILED: consistency proof from 5 to 6" in capsys.readouterr().out
    assert "\n5\n" in json.loads(state.read_text())["checkpoint"]  # it keeps what it trusted


def test_the_record_is_signed_exported_and_verified_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _acts(3)
    with transaction.atomic():
        append_entry(actor="system", action="test.done", subject="late", data={})
    assert main(["record", "checkpoint"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "4"  # the note's size line
    assert main(["record", "export", str(tmp_path / "out")]) == 0
    assert "exported 4 entries, 4 checkpoints, 0 votes" in capsys.readouterr().out
    assert main(["record", "verify", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.endswith("the record holds\n")
    (tmp_path / "out" / "entries.jsonl").write_text("")
    assert main(["record", "verify", str(tmp_path / "out")]) == 1
    assert (
        "FAILED: entry 0: missing: a signed checkpoint covers 4 entries" in capsys.readouterr().out
    )
