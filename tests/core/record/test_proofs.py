"""Receipts and witness checks: an entry is in the signed record, and the record only grew."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.record.checkpoint import (
    Checkpoint,
    generate_signer,
    load_signer,
    sign_checkpoint,
)
from frombelow.core.record.entry import Entry, canonical_bytes, entry_from_bytes
from frombelow.core.record.error import RecordError, VerificationError
from frombelow.core.record.merkle import (
    MerkleLog,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
)
from frombelow.core.record.proofs import Receipt, verify_checkpoint_consistency, verify_receipt

ORIGIN = "frombelow.example/record"
SIGNER = load_signer(generate_signer(ORIGIN)[0])
VERIFIER = SIGNER.verifier
ACTIONS = ("member.admitted", "delegate.elected", "vote.cast", "delegate.recalled")


def _entries(count: int, *, rewrite: int | None = None) -> list[Entry]:
    """Return a record of `count` acts; `rewrite` changes one of them, as a forger would."""
    return [
        Entry(
            sequence=i,
            timestamp=f"2025-05-01T18:{i // 60 % 60:02d}:{i % 60:02d}Z",
            actor="system" if i % 5 == 0 else f"member:{i % 7}",
            action=ACTIONS[i % len(ACTIONS)],
            body=f"body:{i % 3}",
            subject=f"member:{i}",
            data={"after": {"count": i + (1 if i == rewrite else 0)}},
        )
        for i in range(count)
    ]


def _signed(entries: list[Entry], size: int | None = None) -> tuple[list[bytes], str]:
    """Return the leaf hashes and a signed checkpoint of the first `size` entries."""
    hashes = [leaf_hash(canonical_bytes(entry)) for entry in entries]
    log = MerkleLog()
    log.extend(hashes[: len(hashes) if size is None else size])
    return hashes, sign_checkpoint(Checkpoint(ORIGIN, log.size, log.root()), SIGNER)


def _flip(data: bytes, position: int, mask: int) -> bytes:
    return data[:position] + bytes([data[position] ^ mask]) + data[position + 1 :]


def _verify(raw_entry: bytes, proof: list[bytes], raw_note: bytes) -> None:
    """Verify a receipt as it arrives: bytes; a changed entry may no longer read as an entry."""
    # surrogateescape keeps invalid UTF-8 invalid, so the note check sees the change.
    note = raw_note.decode("utf-8", "surrogateescape")
    verify_receipt(
        Receipt(entry_from_bytes(raw_entry), tuple(proof), note), VERIFIER, origin=ORIGIN
    )


def test_a_receipt_verifies_against_the_log_key() -> None:
    entries = _entries(12)
    hashes, note = _signed(entries)
    receipt = Receipt(entries[9], inclusion_proof(hashes, 9, 12), note)
    checkpoint = verify_receipt(receipt, VERIFIER, origin=ORIGIN)
    assert checkpoint.size == 12
    _verify(canonical_bytes(entries[9]), list(receipt.inclusion_proof), note.encode("utf-8"))


def test_a_receipt_fails_for_another_key_origin_or_position() -> None:
    entries = _entries(12)
    hashes, note = _signed(entries)
    receipt = Receipt(entries[9], inclusion_proof(hashes, 9, 12), note)
    stranger = load_signer(generate_signer(ORIGIN)[0]).verifier
    with pytest.raises(VerificationError, match="no signature by a known key"):
        verify_receipt(receipt, stranger, origin=ORIGIN)
    with pytest.raises(VerificationError, match="from the log"):
        verify_receipt(receipt, VERIFIER, origin="elsewhere.example/record")
    moved = dataclasses.replace(receipt, entry=dataclasses.replace(entries[9], sequence=8))
    with pytest.raises(VerificationError, match="does not reach root"):
        verify_receipt(moved, VERIFIER, origin=ORIGIN)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_changing_any_byte_of_a_receipt_fails(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, 40), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    entries = _entries(size)
    hashes, note = _signed(entries)
    raw_entry = canonical_bytes(entries[index])
    proof = list(inclusion_proof(hashes, index, size))
    raw_note = note.encode("utf-8")
    part = data.draw(
        st.sampled_from(["entry", "proof", "checkpoint"] if proof else ["entry", "checkpoint"])
    )
    mask = data.draw(st.integers(1, 255), label="mask")
    if part == "entry":
        raw_entry = _flip(raw_entry, data.draw(st.integers(0, len(raw_entry) - 1)), mask)
    elif part == "proof":
        which = data.draw(st.integers(0, len(proof) - 1))
        proof[which] = _flip(proof[which], data.draw(st.integers(0, 31)), mask)
    else:
        raw_note = _flip(raw_note, data.draw(st.integers(0, len(raw_note) - 1)), mask)
    with pytest.raises(RecordError):
        _verify(raw_entry, proof, raw_note)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_a_witness_accepts_a_grown_record(data: st.DataObject) -> None:
    new = data.draw(st.integers(0, 80), label="new size")
    old = data.draw(st.integers(0, new), label="old size")
    entries = _entries(new)
    hashes, new_note = _signed(entries)
    _, old_note = _signed(entries, old)
    proof = consistency_proof(hashes, old, new)
    checkpoint = verify_checkpoint_consistency(old_note, new_note, proof, VERIFIER, origin=ORIGIN)
    assert checkpoint.size == new


def test_a_witness_refuses_a_rewritten_or_shrunk_record() -> None:
    entries = _entries(30)
    _, old_note = _signed(entries, 20)
    forged = _entries(30, rewrite=4)
    forged_hashes, forged_note = _signed(forged)
    proof = consistency_proof(forged_hashes, 20, 30)
    with pytest.raises(VerificationError, match="old root"):
        verify_checkpoint_consistency(old_note, forged_note, proof, VERIFIER, origin=ORIGIN)
    hashes, new_note = _signed(entries)
    with pytest.raises(VerificationError, match="larger than"):
        verify_checkpoint_consistency(
            new_note, old_note, consistency_proof(hashes, 20, 30), VERIFIER, origin=ORIGIN
        )


def test_a_witness_refuses_a_checkpoint_signed_by_another_key() -> None:
    entries = _entries(10)
    hashes, new_note = _signed(entries)
    _, old_note = _signed(entries, 6)
    impostor = load_signer(generate_signer(ORIGIN)[0])
    log = MerkleLog()
    log.extend(hashes)
    forged_note = sign_checkpoint(Checkpoint(ORIGIN, 10, log.root()), impostor)
    proof = consistency_proof(hashes, 6, 10)
    verify_checkpoint_consistency(old_note, new_note, proof, VERIFIER, origin=ORIGIN)
    with pytest.raises(VerificationError, match="no signature by a known key"):
        verify_checkpoint_consistency(old_note, forged_note, proof, VERIFIER, origin=ORIGIN)
