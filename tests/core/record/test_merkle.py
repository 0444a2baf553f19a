"""The record's Merkle tree: published RFC 6962 vectors, and proofs that verify and only then."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frombelow.core.record.error import RecordError, VerificationError
from frombelow.core.record.merkle import (
    EMPTY_ROOT,
    MerkleLog,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

# Test vectors from github.com/transparency-dev/merkle (Apache-2.0), proof/verify_test.go and
# rfc6962/rfc6962_test.go, which carry those of Google's certificate-transparency C++ and Go
# code: eight leaves, the root at each size 1..8, and known inclusion and consistency proofs.
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]


def _hashes(*hexes: str) -> tuple[bytes, ...]:
    return tuple(bytes.fromhex(h) for h in hexes)


# (leaf index, tree size, proof); the source numbers leaves from 1, these from 0.
INCLUSION_PROOFS = [
    (0, 1, ()),
    (
        0,
        8,
        _hashes(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        5,
        8,
        _hashes(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (2, 3, _hashes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
    (
        1,
        5,
        _hashes(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
]
# (old size, new size, proof)
CONSISTENCY_PROOFS = [
    (1, 1, ()),
    (
        1,
        8,
        _hashes(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ),
    ),
    (
        6,
        8,
        _hashes(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
    (
        2,
        5,
        _hashes(
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ),
    ),
    (
        6,
        7,
        _hashes(
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ),
    ),
]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")
LEAF_HASHES = [leaf_hash(leaf) for leaf in LEAVES]


def _flip(data: bytes, position: int, mask: int) -> bytes:
    """Return `data` with one byte changed."""
    return data[:position] + bytes([data[position] ^ mask]) + data[position + 1 :]


def _hashes_of(count: int) -> list[bytes]:
    return [leaf_hash(f"entry {i}".encode()) for i in range(count)]


def test_hashes_match_the_rfc_6962_vectors() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    assert leaf_hash(b"L123456").hex() == (
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert node_hash(b"N123", b"N456").hex() == (
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


def test_root_at_every_size_matches_the_vectors() -> None:
    log = MerkleLog()
    assert root_hash([]) == log.root() == EMPTY_ROOT
    for size, expected in enumerate(ROOTS, start=1):
        log.append(LEAF_HASHES[size - 1])
        assert root_hash(LEAF_HASHES, size) == expected
        assert root_hash(LEAF_HASHES[:size]) == expected
        assert log.root() == expected


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_PROOFS)
def test_inclusion_proofs_match_the_vectors(
    index: int, size: int, proof: tuple[bytes, ...]
) -> None:
    assert inclusion_proof(LEAF_HASHES, index, size) == proof
    verify_inclusion(LEAF_HASHES[index], index, size, proof, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY_PROOFS)
def test_consistency_proofs_match_the_vectors(old: int, new: int, proof: tuple[bytes, ...]) -> None:
    assert consistency_proof(LEAF_HASHES, old, new) == proof
    verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_PROOFS[1:])
def test_a_corrupted_inclusion_proof_fails(index: int, size: int, proof: tuple[bytes, ...]) -> None:
    # The probes of transparency-dev/merkle's corruptInclusionProof.
    root, leaf = ROOTS[size - 1], LEAF_HASHES[index]
    probes: list[tuple[int, int, bytes, bytes, tuple[bytes, ...]]] = [
        (index - 1, size, leaf, root, proof),
        (index + 1, size, leaf, root, proof),
        (index ^ 2, size, leaf, root, proof),
        (index, size * 2, leaf, root, proof),
        (index, size // 2, leaf, root, proof),
        (index, size, leaf_hash(b"WrongLeaf"), root, proof),
        (index, size, leaf, EMPTY_ROOT, proof),
        (index, size, leaf, SOME_HASH, proof),
        (index, size, leaf, root, (*proof, b"")),
        (index, size, leaf, root, (*proof, root)),
        (index, size, leaf, root, (b"", *proof)),
        (index, size, leaf, root, (root, *proof)),
        (index, size, leaf, root, proof[:-1]),
        (index, size, leaf, root, (proof[0], SOME_HASH, *proof[1:])),
    ]
    for i in range(len(proof)):
        probes.append(
            (index, size, leaf, root, (*proof[:i], _flip(proof[i], 0, 8), *proof[i + 1 :]))
        )
    for probe_index, probe_size, probe_leaf, probe_root, probe_proof in probes:
        with pytest.raises(RecordError):
            verify_inclusion(probe_leaf, probe_index, probe_size, probe_proof, probe_root)


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY_PROOFS[1:])
def test_a_corrupted_consistency_proof_fails(old: int, new: int, proof: tuple[bytes, ...]) -> None:
    # The probes of transparency-dev/merkle's corruptConsistencyProof.
    old_root, new_root = ROOTS[old - 1], ROOTS[new - 1]
    probes: list[tuple[int, int, bytes, bytes, tuple[bytes, ...]]] = [
        (old - 1, new, old_root, new_root, proof),
        (old + 1, new, old_root, new_root, proof),
        (old ^ 2, new, old_root, new_root, proof),
        (old, new * 2, old_root, new_root, proof),
        (old, new // 2, old_root, new_root, proof),
        (old, new, leaf_hash(b"WrongRoot"), new_root, proof),
        (old, new, old_root, leaf_hash(b"WrongRoot"), proof),
        (old, new, new_root, old_root, proof),
        (old, new, old_root, new_root, ()),
        (old, new, old_root, new_root, (*proof, b"")),
        (old, new, old_root, new_root, (*proof, old_root)),
        (old, new, old_root, new_root, (*proof, new_root)),
        (old, new, old_root, new_root, (b"", *proof)),
        (old, new, old_root, new_root, (old_root, *proof)),
        (old, new, old_root, new_root, (new_root, *proof)),
        (old, new, old_root, new_root, (proof[0], *proof)),
        (old, new, old_root, new_root, proof[:-1]),
    ]
    for i in range(len(proof)):
        probes.append(
            (old, new, old_root, new_root, (*proof[:i], _flip(proof[i], 0, 16), *proof[i + 1 :]))
        )
    for probe_old, probe_new, probe_old_root, probe_new_root, probe_proof in probes:
        with pytest.raises(RecordError):
            verify_consistency(probe_old, probe_new, probe_old_root, probe_new_root, probe_proof)


def test_sizes_that_need_no_proof_verify_only_with_the_right_roots() -> None:
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, ())
    verify_consistency(0, 5, EMPTY_ROOT, ROOTS[4], ())
    verify_consistency(3, 3, ROOTS[2], ROOTS[2], ())
    with pytest.raises(VerificationError, match="empty tree"):
        verify_consistency(0, 5, SOME_HASH, ROOTS[4], ())
    with pytest.raises(VerificationError, match="different roots"):
        verify_consistency(3, 3, ROOTS[2], ROOTS[3], ())
    with pytest.raises(VerificationError, match="needs no proof"):
        verify_consistency(3, 3, ROOTS[2], ROOTS[2], (ROOTS[2],))
    with pytest.raises(VerificationError, match="larger than"):
        verify_consistency(4, 3, ROOTS[3], ROOTS[2], ())


def test_single_leaf_tree_root_is_its_leaf_hash() -> None:
    leaf = leaf_hash(b"data")
    assert root_hash([leaf]) == leaf
    verify_inclusion(leaf, 0, 1, (), leaf)
    with pytest.raises(VerificationError):
        verify_inclusion(leaf, 0, 1, (), b"")
    with pytest.raises(VerificationError):
        verify_inclusion(b"", 0, 1, (), leaf)
    for index, size in ((0, 0), (1, 0), (2, 1)):
        with pytest.raises(VerificationError, match="not in a tree"):
            verify_inclusion(SOME_HASH, index, size, (), EMPTY_ROOT)


def test_making_a_proof_refuses_bad_arguments() -> None:
    with pytest.raises(RecordError, match="not in a tree of size 3"):
        inclusion_proof(LEAF_HASHES, 3, 3)
    with pytest.raises(RecordError, match="beyond the 8 leaves"):
        inclusion_proof(LEAF_HASHES, 0, 9)
    with pytest.raises(RecordError, match="non-negative"):
        inclusion_proof(LEAF_HASHES, -1, 3)
    with pytest.raises(RecordError, match="larger than new size"):
        consistency_proof(LEAF_HASHES, 5, 4)
    with pytest.raises(RecordError, match="leaf 1 is 5 bytes"):
        root_hash([LEAF_HASHES[0], b"entry"])


def test_incremental_root_equals_the_recursive_root_at_every_size() -> None:
    hashes = _hashes_of(300)
    log = MerkleLog()
    for size in range(1, len(hashes) + 1):
        assert log.append(hashes[size - 1]) == size - 1
        assert log.size == size
        assert log.root() == root_hash(hashes, size)


def test_a_log_restored_from_its_frontier_goes_on_as_the_original() -> None:
    hashes = _hashes_of(100)
    original = MerkleLog()
    original.extend(hashes[:37])
    restored = MerkleLog(original.size, original.frontier)
    assert len(restored.frontier) == bin(37).count("1")
    restored.extend(hashes[37:])
    assert restored.root() == root_hash(hashes)
    with pytest.raises(RecordError, match="has 3 frontier hashes, not 2"):
        MerkleLog(37, original.frontier[:2])
    with pytest.raises(RecordError, match="32-byte leaf hash"):
        restored.append(b"not a hash")


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_every_inclusion_proof_made_verifies(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, 300), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    hashes = _hashes_of(size)
    proof = inclusion_proof(hashes, index, size)
    assert len(proof) <= size.bit_length()
    verify_inclusion(hashes[index], index, size, proof, root_hash(hashes))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_every_consistency_proof_made_verifies(data: st.DataObject) -> None:
    new = data.draw(st.integers(0, 300), label="new size")
    old = data.draw(st.integers(0, new), label="old size")
    hashes = _hashes_of(new)
    proof = consistency_proof(hashes, old, new)
    verify_consistency(old, new, root_hash(hashes, old), root_hash(hashes), proof)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_flipping_any_byte_breaks_an_inclusion_proof(data: st.DataObject) -> None:
    size = data.draw(st.integers(2, 200), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    hashes = _hashes_of(size)
    proof = list(inclusion_proof(hashes, index, size))
    root, leaf = root_hash(hashes), hashes[index]
    target = data.draw(st.integers(0, len(proof) + 1), label="which hash")
    position = data.draw(st.integers(0, 31), label="byte")
    mask = data.draw(st.integers(1, 255), label="mask")
    if target == len(proof):
        root = _flip(root, position, mask)
    elif target == len(proof) + 1:
        leaf = _flip(leaf, position, mask)
    else:
        proof[target] = _flip(proof[target], position, mask)
    with pytest.raises(VerificationError):
        verify_inclusion(leaf, index, size, proof, root)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_flipping_any_byte_breaks_a_consistency_proof(data: st.DataObject) -> None:
    new = data.draw(st.integers(2, 200), label="new size")
    old = data.draw(st.integers(1, new - 1), label="old size")
    hashes = _hashes_of(new)
    proof = list(consistency_proof(hashes, old, new))
    old_root, new_root = root_hash(hashes, old), root_hash(hashes)
    target = data.draw(st.integers(0, len(proof) + 1), label="which hash")
    position = data.draw(st.integers(0, 31), label="byte")
    mask = data.draw(st.integers(1, 255), label="mask")
    if target == len(proof):
        old_root = _flip(old_root, position, mask)
    elif target == len(proof) + 1:
        new_root = _flip(new_root, position, mask)
    else:
        proof[target] = _flip(proof[target], position, mask)
    with pytest.raises(VerificationError):
        verify_consistency(old, new, old_root, new_root, proof)


def test_a_changed_leaf_breaks_consistency_with_the_old_root() -> None:
    hashes = _hashes_of(20)
    forked = [*hashes[:6], hashlib.sha256(b"rewritten").digest(), *hashes[7:]]
    proof = consistency_proof(forked, 10, 20)
    with pytest.raises(VerificationError, match="old root"):
        verify_consistency(10, 20, root_hash(hashes, 10), root_hash(forked), proof)
