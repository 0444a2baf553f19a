"""The record: an append-only Merkle log of entries with signed checkpoints and proofs."""

from frombelow.core.record.checkpoint import (
    Checkpoint,
    Signer,
    Verifier,
    generate_signer,
    load_signer,
    load_verifier,
    open_checkpoint,
    sign_checkpoint,
)
from frombelow.core.record.entry import Entry, canonical_bytes, entry_from_bytes, format_timestamp
from frombelow.core.record.error import RecordError, VerificationError
from frombelow.core.record.merkle import (
    MerkleLog,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from frombelow.core.record.proofs import Receipt, verify_checkpoint_consistency, verify_receipt

__all__ = [
    "Checkpoint",
    "Entry",
    "MerkleLog",
    "Receipt",
    "RecordError",
    "Signer",
    "VerificationError",
    "Verifier",
    "canonical_bytes",
    "consistency_proof",
    "entry_from_bytes",
    "format_timestamp",
    "generate_signer",
    "inclusion_proof",
    "leaf_hash",
    "load_signer",
    "load_verifier",
    "open_checkpoint",
    "root_hash",
    "sign_checkpoint",
    "verify_checkpoint_consistency",
    "verify_consistency",
    "verify_inclusion",
    "verify_receipt",
]
