"""Signed checkpoints: the published note vectors of Go's sumdb/note, and tampering that fails."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.record.checkpoint import (
    Checkpoint,
    generate_signer,
    key_id,
    load_signer,
    load_verifier,
    open_checkpoint,
    open_note,
    parse_checkpoint,
    sign_checkpoint,
    sign_note,
)
from frombelow.core.record.error import RecordError, VerificationError
from frombelow.core.record.merkle import EMPTY_ROOT, leaf_hash

# Test vectors from golang.org/x/mod/sumdb/note (BSD-3-Clause), note_test.go: TestNewVerifier,
# TestNewSigner, TestSign and TestOpen.
PETER_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VERIFIER = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIGNATURE = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqd"
    "ngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIGNATURE = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWL"
    "ox33WWd1RvMc+QQ=\n"
)
# A real checkpoint of the Go checksum database, from github.com/transparency-dev/formats
# (Apache-2.0), log/note_test.go, TestSumDBNoteParsing: its origin and key name differ.
SUMDB_VERIFIER = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
SUMDB_CHECKPOINT = (
    "go.sum database tree\n"
    "6476701\n"
    "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n"
    "\n"
    "— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfv"
    "imWEPWL+o3GeoWwOoAw=\n"
)
ORIGIN = "frombelow.example/record"


def test_signing_gives_the_published_note() -> None:
    signer = load_signer(PETER_SIGNER)
    assert signer.key_id.hex() == "c74f20a3"
    assert signer.verifier.text() == PETER_VERIFIER
    assert signer.text() == PETER_SIGNER
    assert sign_note(TEXT, signer) == TEXT + "\n" + PETER_SIGNATURE


def test_opening_checks_known_keys_and_ignores_unknown_ones() -> None:
    peter, enoch = load_verifier(PETER_VERIFIER), load_verifier(ENOCH_VERIFIER)
    both = TEXT + "\n" + PETER_SIGNATURE + ENOCH_SIGNATURE
    assert open_note(both, [peter]) == TEXT
    assert open_note(both, [enoch]) == TEXT
    assert open_note(both.encode("utf-8"), [peter, enoch]) == TEXT
    with pytest.raises(VerificationError, match="no signature by a known key"):
        open_note(both, [])
    forged = TEXT + "\n" + PETER_SIGNATURE[:60] + "ABCD" + PETER_SIGNATURE[60:]
    with pytest.raises(VerificationError, match="PeterNeumann\\+c74f20a3 is not valid"):
        open_note(forged, [peter])


@pytest.mark.parametrize(
    "note",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIGNATURE[:-1],
        "\x01" + TEXT + "\n" + PETER_SIGNATURE,
        TEXT + "\n" + PETER_SIGNATURE.replace("PeterNeumann", "Bad Name"),
        TEXT + "\n" + PETER_SIGNATURE + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIGNATURE * 101,
    ],
)
def test_malformed_notes_are_refused(note: str) -> None:
    # The bad messages of TestOpen, and more signatures than the reader accepts.
    with pytest.raises(VerificationError):
        open_note(note, [load_verifier(PETER_VERIFIER)])


def test_every_mangled_verifier_key_is_refused() -> None:
    # As TestNewVerifier: every proper substring and every one-character change fails.
    for start in range(len(PETER_VERIFIER)):
        for end in range(start + 1, len(PETER_VERIFIER) + 1):
            if (start, end) != (0, len(PETER_VERIFIER)):
                with pytest.raises(RecordError):
                    load_verifier(PETER_VERIFIER[start:end])
    for position, char in enumerate(PETER_VERIFIER):
        with pytest.raises(RecordError):
            load_verifier(
                PETER_VERIFIER[:position] + chr(ord(char) + 1) + PETER_VERIFIER[position + 1 :]
            )
    # A key of the wrong length (its base64 is not canonical either), and an unknown type.
    with pytest.raises(RecordError):
        load_verifier("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
    with pytest.raises(RecordError, match="not Ed25519"):
        load_verifier("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")


def test_every_mangled_signer_key_is_refused() -> None:
    # As TestNewSigner.
    for start in range(len(PETER_SIGNER)):
        for end in range(start + 1, len(PETER_SIGNER) + 1):
            if (start, end) != (0, len(PETER_SIGNER)):
                with pytest.raises(RecordError):
                    load_signer(PETER_SIGNER[start:end])
    for position, char in enumerate(PETER_SIGNER):
        with pytest.raises(RecordError):
            load_signer(PETER_SIGNER[:position] + chr(ord(char) + 1) + PETER_SIGNER[position + 1 :])


def test_the_published_sumdb_checkpoint_opens() -> None:
    verifier = load_verifier(SUMDB_VERIFIER)
    checkpoint = open_checkpoint(SUMDB_CHECKPOINT, verifier, origin="go.sum database tree")
    assert checkpoint.origin == "go.sum database tree"
    assert checkpoint.size == 6476701
    assert checkpoint.root.hex().startswith("99bf102d022c")
    with pytest.raises(VerificationError, match=r"not 'sum\.golang\.org'"):
        open_checkpoint(SUMDB_CHECKPOINT, verifier, origin="sum.golang.org")


def test_a_generated_key_signs_checkpoints_its_verifier_opens() -> None:
    signer_text, verifier_text = generate_signer(ORIGIN)
    signer, verifier = load_signer(signer_text), load_verifier(verifier_text)
    assert signer.verifier == verifier
    assert verifier.key_id == key_id(ORIGIN, verifier.public_key)
    assert "PRIVATE" not in repr(signer)
    assert signer_text.split("+")[-1] not in repr(signer)
    checkpoint = Checkpoint(ORIGIN, 3, leaf_hash(b"x"), ("extension line",))
    note = sign_checkpoint(checkpoint, signer)
    assert note.startswith(f"{ORIGIN}\n3\n")
    assert open_checkpoint(note, verifier, origin=ORIGIN) == checkpoint
    other = load_verifier(generate_signer(ORIGIN)[1])
    with pytest.raises(VerificationError, match="no signature by a known key"):
        open_checkpoint(note, other, origin=ORIGIN)


def test_the_empty_log_has_a_checkpoint() -> None:
    text = Checkpoint(ORIGIN, 0, EMPTY_ROOT).text()
    assert text == f"{ORIGIN}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
    assert parse_checkpoint(text).size == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{ORIGIN}\n3\n", "not at least 3"),
        (f"{ORIGIN}\n03\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "not a decimal"),
        (f"{ORIGIN}\n-3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "not a decimal"),
        (f"{ORIGIN}\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n", "canonical base64"),
        (f"{ORIGIN}\n3\nq83v\n", "32-byte"),
        (f"{ORIGIN}\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n", "non-empty line"),
        ("\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "origin"),
        (f"{ORIGIN}\n3\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "newline"),
    ],
)
def test_malformed_checkpoint_text_is_refused(text: str, message: str) -> None:
    with pytest.raises(RecordError, match=message):
        parse_checkpoint(text)


_SIGNER = load_signer(generate_signer(ORIGIN)[0])
_NOTE = sign_checkpoint(Checkpoint(ORIGIN, 1234, leaf_hash(b"root")), _SIGNER).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(_NOTE) - 1), st.integers(1, 255))
def test_changing_any_byte_of_a_signed_checkpoint_fails(position: int, mask: int) -> None:
    tampered = _NOTE[:position] + bytes([_NOTE[position] ^ mask]) + _NOTE[position + 1 :]
    with pytest.raises(VerificationError):
        open_checkpoint(tampered, _SIGNER.verifier, origin=ORIGIN)


def test_a_key_of_the_wrong_length_is_refused_even_with_a_matching_id() -> None:
    public_key = load_verifier(PETER_VERIFIER).public_key[:31]
    encoded = base64.b64encode(b"\x01" + public_key).decode("ascii")
    text = f"PeterNeumann+{key_id('PeterNeumann', public_key).hex()}+{encoded}"
    with pytest.raises(RecordError, match="31 bytes, not 32"):
        load_verifier(text)
