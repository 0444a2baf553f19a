"""Signed checkpoints of the record: the tree head as a C2SP signed note, Ed25519 keys as text.

Sources: C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint, "Note text": origin, tree size,
base64 root hash, optional extension lines) and C2SP signed-note (https://c2sp.org/signed-note,
"Format", "Signatures", "Ed25519 signatures"): the signed text, a blank line, then lines
"— <key name> base64(key ID || signature)", where the key ID is the first 4 bytes of
SHA-256(key name || 0x0A || 0x01 || public key). Key texts are those of Go's
golang.org/x/mod/sumdb/note: "<name>+<hex key ID>+base64(0x01 || public key)" to verify and
"PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 || seed)" to sign, so that Go's tools and witnesses
read what this module writes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from frombelow.core.record.error import RecordError, VerificationError
from frombelow.core.record.merkle import HASH_SIZE

_ED25519 = b"\x01"  # signed-note signature type of Ed25519
_SIGNATURE_PREFIX = "— "  # em dash, space
_PRIVATE_PREFIX = "PRIVATE+KEY+"
# Go's reader refuses more than 100 signatures; the note spec asks for at least 16.
MAX_SIGNATURES = 100


def _check_name(name: str) -> None:
    """Refuse a key name that is empty or holds a space, a plus or a control character."""
    if (
        not isinstance(name, str)
        or not name
        or "+" in name
        or any(c.isspace() or c < " " or c == "\x7f" for c in name)
    ):
        raise RecordError(f"key name {name!r} must be non-empty, without spaces or '+'")


def key_id(name: str, public_key: bytes) -> bytes:
    """Return the 4-byte key ID of an Ed25519 key: SHA-256(name || 0x0A || 0x01 || key)[:4]."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + _ED25519 + public_key).digest()[:4]


def _decode_base64(what: str, text: str) -> bytes:
    """Decode standard base64, refusing any text that is not the one encoding of its bytes."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise RecordError(f"{what} is not base64: {text!r}") from None
    # Padding bits could otherwise differ and still decode to the same bytes.
    if base64.b64encode(raw).decode("ascii") != text:
        raise RecordError(f"{what} is not in canonical base64: {text!r}")
    return raw


@dataclass(frozen=True)
class Verifier:
    """A public key that checks signatures on notes, named as in its signature lines."""

    name: str
    key_id: bytes  # 4 bytes
    public_key: bytes  # 32 bytes, Ed25519

    def text(self) -> str:
        """Write the verifier key as "<name>+<hex key ID>+<base64(0x01 || key)>"."""
        encoded = base64.b64encode(_ED25519 + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def is_valid(self, message: bytes, signature: bytes) -> bool:
        """Say whether `signature` is this key's Ed25519 signature of `message`."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A private key that signs notes; keep its text out of the database."""

    name: str
    key_id: bytes  # 4 bytes
    _key: Ed25519PrivateKey = field(repr=False, compare=False)

    @property
    def verifier(self) -> Verifier:
        """Return the verifier of this signer's signatures."""
        return Verifier(self.name, self.key_id, self._key.public_key().public_bytes_raw())

    def text(self) -> str:
        """Write the signer key as "PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>"."""
        encoded = base64.b64encode(_ED25519 + self._key.private_bytes_raw()).decode("ascii")
        return f"{_PRIVATE_PREFIX}{self.name}+{self.key_id.hex()}+{encoded}"

    def sign(self, message: bytes) -> bytes:
        """Sign `message` with Ed25519 (RFC 8032)."""
        return self._key.sign(message)


def _signer_from_seed(name: str, seed: bytes) -> Signer:
    """Make the signer of a name from a 32-byte Ed25519 seed."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return Signer(name, key_id(name, key.public_key().public_bytes_raw()), key)


def generate_signer(name: str) -> tuple[str, str]:
    """Make a new key for `name` and return its signer key text and verifier key text."""
    _check_name(name)
    signer = _signer_from_seed(name, Ed25519PrivateKey.generate().private_bytes_raw())
    return signer.text(), signer.verifier.text()


def _split_key(what: str, text: str) -> tuple[str, bytes, bytes]:
    """Split "<name>+<hex id>+<base64 key>" into name, key ID and raw key (type byte dropped)."""
    name, plus, rest = text.partition("+")
    hex_id, plus2, encoded = rest.partition("+")
    if not plus or not plus2:
        raise RecordError(f"{what} is not of the form <name>+<key id>+<key>")
    _check_name(name)
    if (
        len(hex_id) != 8
        or hex_id != hex_id.lower()
        or any(c not in "0123456789abcdef" for c in hex_id)
    ):
        raise RecordError(f"{what}: key id {hex_id!r} is not 8 lower-case hex digits")
    raw = _decode_base64(f"{what}: key", encoded)
    if raw[:1] != _ED25519:
        raise RecordError(f"{what}: key type {raw[:1].hex() or 'none'} is not Ed25519 (01)")
    if len(raw) != 33:
        raise RecordError(f"{what}: Ed25519 key is {len(raw) - 1} bytes, not 32")
    return name, bytes.fromhex(hex_id), raw[1:]


def load_verifier(text: str) -> Verifier:
    """Read a verifier key text, checking its key ID against its name and key."""
    name, wanted_id, public_key = _split_key("verifier key", text.strip())
    if key_id(name, public_key) != wanted_id:
        raise RecordError(f"verifier key {name}: key id {wanted_id.hex()} does not match the key")
    return Verifier(name, wanted_id, public_key)


def load_signer(text: str) -> Signer:
    """Read a signer key text, checking its key ID against the public key it derives."""
    text = text.strip()
    if not text.startswith(_PRIVATE_PREFIX):
        raise RecordError(f"signer key does not start with {_PRIVATE_PREFIX!r}")
    name, wanted_id, seed = _split_key("signer key", text[len(_PRIVATE_PREFIX) :])
    signer = _signer_from_seed(name, seed)
    if signer.key_id != wanted_id:
        raise RecordError(f"signer key {name}: key id {wanted_id.hex()} does not match the key")
    return signer


def _check_note_text(what: str, text: str) -> None:
    """Refuse text a signed note cannot hold: control characters other than newline."""
    for position, char in enumerate(text):
        if char < " " and char != "\n":
            raise RecordError(f"{what}: control character {char!r} at {position}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise RecordError(f"{what}: not valid Unicode") from None


def sign_note(text: str, signer: Signer) -> str:
    """Sign a note text (ending in a newline) and return the signed note (C2SP signed-note)."""
    _check_note_text("note text", text)
    if not text.endswith("\n"):
        raise RecordError("note text must end with a newline")
    signature = signer.key_id + signer.sign(text.encode("utf-8"))
    encoded = base64.b64encode(signature).decode("ascii")
    return f"{text}\n{_SIGNATURE_PREFIX}{signer.name} {encoded}\n"


def open_note(note: str | bytes, verifiers: Sequence[Verifier]) -> str:
    """Check a signed note against known verifiers and return its text (C2SP signed-note)."""
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise VerificationError("note is not valid UTF-8") from None
    try:
        _check_note_text("note", note)
    except RecordError as error:
        raise VerificationError(str(error)) from None
    # The text ends at the last blank line; what follows is one signature per line.
    split = note.rfind("\n\n")
    if split < 0:
        raise VerificationError("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block or not block.endswith("\n"):
        raise VerificationError("note's signature lines do not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise VerificationError(f"note has {len(lines)} signatures, more than {MAX_SIGNATURES}")
    known = {(v.name, v.key_id): v for v in verifiers}
    message = text.encode("utf-8")
    verified = 0
    for number, line in enumerate(lines, start=1):
        if not line.startswith(_SIGNATURE_PREFIX):
            raise VerificationError(f"note's signature line {number} does not start with '— '")
        name, _, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
        try:
            _check_name(name)
            raw = _decode_base64(f"signature line {number}", encoded)
        except RecordError as error:
            raise VerificationError(f"note's {error}") from None
        if len(raw) < 5:
            raise VerificationError(f"note's signature line {number} is too short")
        verifier = known.get((name, raw[:4]))
        if verifier is None:
            # Unknown keys (witnesses, rotated keys) must be ignored (C2SP signed-note).
            continue
        if not verifier.is_valid(message, raw[4:]):
            raise VerificationError(f"note's signature by {name}+{raw[:4].hex()} is not valid")
        verified += 1
    if not verified:
        raise VerificationError("note has no signature by a known key")
    return text


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: which log, how many entries, and the root over them (C2SP tlog-checkpoint)."""

    origin: str  # the log's identity, e.g. "frombelow.example/record"
    size: int
    root: bytes  # 32 bytes
    extensions: tuple[str, ...] = ()  # opaque extra lines; not recommended by the spec

    def __post_init__(self) -> None:
        """Refuse a checkpoint that has no text form."""
        if not isinstance(self.origin, str) or not self.origin:
            raise RecordError("checkpoint origin must be a non-empty string")
        _check_note_text("checkpoint origin", self.origin)
        if "\n" in self.origin:
            raise RecordError("checkpoint origin must be one line")
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 0:
            raise RecordError(f"checkpoint size {self.size!r} is not a non-negative integer")
        if not isinstance(self.root, bytes) or len(self.root) != HASH_SIZE:
            raise RecordError(f"checkpoint root is not a {HASH_SIZE}-byte hash")
        for number, line in enumerate(self.extensions, start=4):
            _check_note_text(f"checkpoint line {number}", line)
            if not line or "\n" in line:
                raise RecordError(f"checkpoint line {number} must be one non-empty line")

    def text(self) -> str:
        """Write the note text: origin, size and base64 root, one a line, then extensions."""
        root = base64.b64encode(self.root).decode("ascii")
        return "".join(
            f"{line}\n" for line in (self.origin, str(self.size), root, *self.extensions)
        )


def parse_checkpoint(text: str) -> Checkpoint:
    """Read a checkpoint's note text (unsigned: open the note first)."""
    if not text.endswith("\n"):
        raise RecordError("checkpoint text does not end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise RecordError(f"checkpoint text has {len(lines)} lines, not at least 3")
    origin, size, root, *extensions = lines
    # The size is decimal with no sign and no leading zero (tlog-checkpoint, "Note text").
    if not size.isascii() or not size.isdigit() or (size != "0" and size.startswith("0")):
        raise RecordError(f"checkpoint size {size!r} is not a decimal number")
    return Checkpoint(origin, int(size), _decode_base64("checkpoint root", root), tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """Sign a checkpoint and return the signed note."""
    return sign_note(checkpoint.text(), signer)


def open_checkpoint(note: str | bytes, verifier: Verifier, *, origin: str) -> Checkpoint:
    """Check a signed checkpoint from the log `origin` against its key and return it."""
    text = open_note(note, [verifier])
    try:
        checkpoint = parse_checkpoint(text)
    except RecordError as error:
        raise VerificationError(f"signed note is not a checkpoint: {error}") from None
    if checkpoint.origin != origin:
        raise VerificationError(f"checkpoint is from the log {checkpoint.origin!r}, not {origin!r}")
    return checkpoint


# Each checkpoint the installation signs carries one extension line that numbers it and names
# the size of the checkpoint signed before it, so that a verifier notices a checkpoint deleted
# from the middle of the series (docs/record.md, "Checkpoints").
CHAIN = "frombelow-chain"


def chain_extension(number: int, previous: int | None) -> str:
    """Write the chain line of the `number`-th checkpoint (from 0) after one of size `previous`."""
    return f"{CHAIN} {number} {'-' if previous is None else previous}"


def read_chain(checkpoint: Checkpoint) -> tuple[int, int | None] | None:
    """Return a checkpoint's number and its previous checkpoint's size; None if it has none."""
    lines = [line for line in checkpoint.extensions if line.startswith(f"{CHAIN} ")]
    if not lines:
        return None
    fields = lines[0].split(" ")
    if (
        len(lines) != 1
        or len(fields) != 3
        or not (fields[1].isascii() and fields[1].isdigit())
        or not (fields[2] == "-" or (fields[2].isascii() and fields[2].isdigit()))
    ):
        raise RecordError(f"checkpoint of size {checkpoint.size} has a malformed chain line")
    return int(fields[1]), None if fields[2] == "-" else int(fields[2])
