"""`frombelow record ...`: sign, export and verify the record; check receipts; witness a log.

`verify`, `receipt-check` and `witness` import only `frombelow.core` and the standard library,
never Django, so that anyone can run them without the installation's database; `checkpoint` and
`export` read the database through the services.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

PROG = "frombelow record"


def _setup_django() -> None:
    """Start Django for the subcommands that read the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frombelow.config.settings")
    import django

    django.setup()


def _checkpoint(options: argparse.Namespace) -> int:
    """Sign a checkpoint of the record as it stands and print it."""
    _setup_django()
    from frombelow.services.checkpoints import sign_checkpoint

    sys.stdout.write(sign_checkpoint().note)
    return 0


def _export(options: argparse.Namespace) -> int:
    """Write the record and what its counts rest on into a folder."""
    _setup_django()
    from frombelow.services.checkpoints import sign_checkpoint
    from frombelow.services.export import export_record

    sign_checkpoint()  # so that the export ends on a signed checkpoint
    written = export_record(Path(options.directory))
    summary = ", ".join(f"{count} {what}" for what, count in written.items())
    print(f"exported {summary} to {options.directory}")
    return 0


def _mix_ballots(options: argparse.Namespace) -> int:
    """Rewrite the secret ballots' storage in the order of their random keys."""
    _setup_django()
    from frombelow.services.mixing import mix_secret_ballots

    print(mix_secret_ballots())
    return 0


def _verify(options: argparse.Namespace) -> int:
    """Check an exported record with the core alone; exit 0 only if everything holds."""
    from frombelow.core.record.verify import verify_export

    report = verify_export(Path(options.directory))
    for line in report.checked:
        print(f"ok: {line}")
    if report.problem is not None:
        print(f"FAILED: {report.problem}")
        return 1
    print("the record holds")
    return 0


def _fetch(url: str) -> bytes:
    """Fetch a URL's body (http or https only)."""
    import urllib.request

    if not url.startswith(("http://", "https://")):
        raise ValueError(f"{url!r} is not an http(s) URL")
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
    return body


def _receipt_check(options: argparse.Namespace) -> int:
    """Check a receipt, and with --url that the record still holds its entry today."""
    import json

    from frombelow.core.record.checkpoint import load_verifier, open_checkpoint
    from frombelow.core.record.error import RecordError
    from frombelow.core.record.proofs import verify_checkpoint_consistency, verify_receipt
    from frombelow.core.record.wire import decode_proof, read_receipt

    try:
        receipt, named = read_receipt(json.loads(Path(options.file).read_text(encoding="utf-8")))
        if options.verifier:
            verifier = load_verifier(Path(options.verifier).read_text(encoding="utf-8"))
        else:
            verifier = load_verifier(named)
            print("note: checked with the key the receipt names; pass --verifier to use yours")
        origin = verifier.name
        held = verify_receipt(receipt, verifier, origin=origin)
        entry = receipt.entry
        print(f"ok: entry {entry.sequence} ({entry.action}) is in the record of {held.size}")
        if options.url:
            base = options.url.rstrip("/")
            latest = _fetch(f"{base}/record/checkpoint").decode("utf-8")
            now = open_checkpoint(latest, verifier, origin=origin)
            proof = json.loads(_fetch(f"{base}/record/consistency?from={held.size}&to={now.size}"))
            verify_checkpoint_consistency(
                receipt.checkpoint, latest, decode_proof(proof["proof"]), verifier, origin=origin
            )
            print(f"ok: the record of {now.size} entries today extends it, so it still holds it")
    except (OSError, ValueError, KeyError, RecordError) as error:
        print(f"FAILED: {error}")
        return 1
    return 0


def _witness(options: argparse.Namespace) -> int:
    """Fetch the latest checkpoint, check it extends the last one seen, and cosign it."""
    import json
    import time

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from frombelow.core.record.checkpoint import load_verifier, open_checkpoint
    from frombelow.core.record.error import RecordError
    from frombelow.core.record.proofs import verify_checkpoint_consistency
    from frombelow.core.record.wire import cosign, decode_proof, witness_verifier_text

    state_file = Path(options.state)
    try:
        state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else {}
        verifier_text = state.get("verifier") or (
            Path(options.verifier).read_text(encoding="utf-8").strip() if options.verifier else ""
        )
        if not verifier_text:
            raise ValueError("the first run needs the log's verifier key: --verifier FILE")
        verifier = load_verifier(verifier_text)
        base = options.url.rstrip("/")
        latest = _fetch(f"{base}/record/checkpoint").decode("utf-8")
        new = open_checkpoint(latest, verifier, origin=verifier.name)
        old_note = state.get("checkpoint")
        if old_note is not None:
            old = open_checkpoint(old_note, verifier, origin=verifier.name)
            if new.size < old.size:
                raise RecordError(f"the log went back from {old.size} to {new.size} entries")
            proof = json.loads(_fetch(f"{base}/record/consistency?from={old.size}&to={new.size}"))
            verify_checkpoint_consistency(
                old_note, latest, decode_proof(proof["proof"]), verifier, origin=verifier.name
            )
            print(f"ok: the checkpoint of {new.size} extends the one of {old.size} seen before")
        else:
            print(f"ok: first checkpoint seen, of {new.size} entries")
        key = (
            Ed25519PrivateKey.from_private_bytes(bytes.fromhex(state["witness_key"]))
            if ("witness_key" in state)
            else Ed25519PrivateKey.generate()
        )
        line = cosign(new.text(), options.name, key, int(time.time()))
        state = {
            "verifier": verifier.text(),
            "checkpoint": latest,
            "witness_key": key.private_bytes_raw().hex(),
            "witness_verifier": witness_verifier_text(options.name, key),
        }
        # The state holds the witness's private key: readable by its owner only.
        descriptor = os.open(state_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(state, out, indent=1)
        sys.stdout.write(latest + line if options.note else line)
    except (OSError, ValueError, KeyError, RecordError) as error:
        print(f"FAILED: {error}")
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("checkpoint", help="sign a checkpoint of the record and print it")
    export = commands.add_parser("export", help="export the record and its counts to a folder")
    export.add_argument("directory", metavar="DIR")
    commands.add_parser(
        "mix-ballots", help="rewrite the secret ballots' storage in the order of their random keys"
    )
    verify = commands.add_parser("verify", help="check an exported record (no database needed)")
    verify.add_argument("directory", metavar="DIR")
    check = commands.add_parser("receipt-check", help="check a receipt (no database needed)")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--verifier", metavar="KEYFILE", help="the log's verifier key you trust")
    check.add_argument("--url", help="the installation, to check the record still holds it")
    witness = commands.add_parser("witness", help="check and cosign a log's latest checkpoint")
    witness.add_argument("url", metavar="URL")
    witness.add_argument("--state", default="witness-state.json", help="what it last saw")
    witness.add_argument("--verifier", metavar="KEYFILE", help="the log's key (first run)")
    witness.add_argument("--name", default="witness", help="the witness's key name")
    witness.add_argument("--note", action="store_true", help="print the cosigned note")
    return parser


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "checkpoint": _checkpoint,
    "export": _export,
    "mix-ballots": _mix_ballots,
    "verify": _verify,
    "receipt-check": _receipt_check,
    "witness": _witness,
}


def run(args: list[str]) -> int:
    """Run one `frombelow record` subcommand."""
    options = _parser().parse_args(args)
    return HANDLERS[options.command](options)
