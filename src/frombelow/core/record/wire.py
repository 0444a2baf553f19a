"""Receipts, proofs and witness cosignatures as they travel: JSON and signed-note lines.

Sources: RFC 9162 sections 8.1.1 and 8.2 (what a client and a witness check, see proofs.py);
C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature, "Format"): a witness signs
"cosignature/v1\\ntime <seconds>\\n" followed by the checkpoint's note text, with an Ed25519 key
whose signature type is 0x04, and adds the line "— <name> base64(key ID || time (8 bytes, big
endian) || signature)" to the note; the key ID is SHA-256(name || 0x0A || 0x04 || public key)[:4].
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from frombelow.core.record.entry import entry_from_bytes
from frombelow.core.record.error import RecordError
from frombelow.core.record.merkle import HASH_SIZE
from frombelow.core.record.proofs import Receipt

_COSIGNATURE = b"\x04"  # signed-note signature type of a tlog-cosignature/v1


def encode_proof(proof: Sequence[bytes]) -> list[str]:
    """Write a proof's hashes in standard base64."""
    return [base64.b64encode(h).decode("ascii") for h in proof]


def decode_proof(data: object, what: str = "proof") -> tuple[bytes, ...]:
    """Read a proof's hashes from standard base64, refusing anything but 32-byte hashes."""
    if not isinstance(data, list):
        raise RecordError(f"{what} is not a list of base64 hashes")
    hashes = []
    for position, text in enumerate(data):
        try:
            raw = base64.b64decode(str(text), validate=True)
        except (binascii.Error, ValueError):
            raise RecordError(f"{what} hash {position} is not base64") from None
        if len(raw) != HASH_SIZE:
            raise RecordError(f"{what} hash {position} is not a {HASH_SIZE}-byte hash")
        hashes.append(raw)
    return tuple(hashes)


def receipt_json(receipt: Receipt, canonical: bytes, verifier: str) -> dict[str, Any]:
    """Write a receipt as JSON: the entry's canonical text, its proof, the checkpoint, the key."""
    return {
        "entry": canonical.decode("utf-8"),
        "inclusion_proof": encode_proof(receipt.inclusion_proof),
        "checkpoint": receipt.checkpoint,
        "verifier": verifier,
    }


def read_receipt(data: object) -> tuple[Receipt, str]:
    """Read a receipt written by `receipt_json`; return it and the verifier key it names."""
    if not isinstance(data, dict):
        raise RecordError("a receipt is a JSON object")
    try:
        entry = entry_from_bytes(str(data["entry"]).encode("utf-8"))
        proof = decode_proof(data["inclusion_proof"], "inclusion proof")
        return Receipt(entry, proof, str(data["checkpoint"])), str(data.get("verifier", ""))
    except KeyError as error:
        raise RecordError(f"a receipt has no {error}") from None


def witness_key_id(name: str, public_key: bytes) -> bytes:
    """Return a witness key's 4-byte ID: SHA-256(name || 0x0A || 0x04 || key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + _COSIGNATURE + public_key).digest()[:4]


def witness_verifier_text(name: str, key: Ed25519PrivateKey) -> str:
    """Write a witness's verifier key: "<name>+<hex key ID>+base64(0x04 || public key)"."""
    public = key.public_key().public_bytes_raw()
    encoded = base64.b64encode(_COSIGNATURE + public).decode("ascii")
    return f"{name}+{witness_key_id(name, public).hex()}+{encoded}"


def cosign(note_text: str, name: str, key: Ed25519PrivateKey, seconds: int) -> str:
    """Cosign a checkpoint's note text at `seconds` since the epoch; return the signature line."""
    if not note_text.endswith("\n"):
        raise RecordError("a checkpoint's note text ends with a newline")
    message = f"cosignature/v1\ntime {seconds}\n{note_text}".encode()
    public = key.public_key().public_bytes_raw()
    signed = witness_key_id(name, public) + seconds.to_bytes(8, "big") + key.sign(message)
    return f"— {name} {base64.b64encode(signed).decode('ascii')}\n"


def dumps(data: object) -> str:
    """Write JSON as the endpoints and files do: sorted keys, no spaces."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
