"""The Merkle tree of the record: tree hash, inclusion and consistency proofs, incremental log.

Source: RFC 9162 (Certificate Transparency 2.0), section 2.1 "Merkle Hash Trees": 2.1.1 the tree
hash, 2.1.3.1 and 2.1.3.2 inclusion proofs (make and verify), 2.1.4.1 and 2.1.4.2 consistency
proofs (make and verify). The hashing is that of RFC 6962 section 2.1 with SHA-256, so that a log
here has the same roots as any Certificate Transparency or C2SP tlog implementation.

Cost: `root_hash`, `inclusion_proof` and `consistency_proof` work from the leaf hashes alone and
hash every leaf once at most, so each is O(n) hashes for a log of n leaves (the subtrees beside a
path partition the leaves). `MerkleLog` keeps only the roots of the perfect subtrees that make up
its size (the "frontier" or compact range), so an append costs O(1) hashes amortised and O(log n)
at worst, and the root costs O(log n).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from frombelow.core.record.error import RecordError, VerificationError

HASH_SIZE = 32
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
# MTH({}) = SHA-256() (RFC 9162 2.1.1): the root of the empty log.
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    """Hash one entry as a leaf: SHA-256(0x00 || entry)."""
    return hashlib.sha256(_LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two subtree roots into their parent: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """Return the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _tree_hash(leaves: Sequence[bytes], start: int, end: int) -> bytes:
    """Return MTH(D[start:end]) for a non-empty range of leaf hashes (RFC 9162 2.1.1)."""
    n = end - start
    if n == 1:
        return leaves[start]
    k = _split(n)
    return node_hash(_tree_hash(leaves, start, start + k), _tree_hash(leaves, start + k, end))


def _check_size(name: str, value: int) -> None:
    """Refuse a size or index that is not a non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RecordError(f"{name} must be a non-negative integer, not {value!r}")


def _check_leaves(leaves: Sequence[bytes], size: int) -> None:
    """Refuse a size beyond the leaves given, or a leaf hash of the wrong length."""
    if size > len(leaves):
        raise RecordError(f"size {size} is beyond the {len(leaves)} leaves given")
    for index in range(size):
        if len(leaves[index]) != HASH_SIZE:
            raise RecordError(
                f"leaf {index} is {len(leaves[index])} bytes, not a {HASH_SIZE}-byte leaf hash"
            )


def root_hash(leaves: Sequence[bytes], size: int | None = None) -> bytes:
    """Return the root of the tree over the first `size` leaf hashes (all of them by default)."""
    size = len(leaves) if size is None else size
    _check_size("size", size)
    _check_leaves(leaves, size)
    return EMPTY_ROOT if size == 0 else _tree_hash(leaves, 0, size)


def inclusion_proof(leaves: Sequence[bytes], index: int, size: int) -> tuple[bytes, ...]:
    """Make the proof that leaf `index` is in the tree of `size` leaves (RFC 9162 2.1.3.1)."""
    _check_size("index", index)
    _check_size("size", size)
    if index >= size:
        raise RecordError(f"leaf index {index} is not in a tree of size {size}")
    _check_leaves(leaves, size)
    # PATH(m, D[start:end]), unrolled: descend towards the leaf, collecting the sibling subtree
    # at each level, then list them from the leaf upwards.
    siblings: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = _split(end - start)
        if m < k:
            siblings.append(_tree_hash(leaves, start + k, end))
            end = start + k
        else:
            siblings.append(_tree_hash(leaves, start, start + k))
            start, m = start + k, m - k
    return tuple(reversed(siblings))


def consistency_proof(leaves: Sequence[bytes], old_size: int, new_size: int) -> tuple[bytes, ...]:
    """Make the proof that tree `old_size` is a prefix of tree `new_size` (RFC 9162 2.1.4.1)."""
    _check_size("old size", old_size)
    _check_size("new size", new_size)
    if old_size > new_size:
        raise RecordError(f"old size {old_size} is larger than new size {new_size}")
    _check_leaves(leaves, new_size)
    if old_size in (0, new_size):
        # Nothing to prove: the empty tree is a prefix of every tree, and a tree of itself.
        return ()
    # SUBPROOF(m, D[start:end], b), unrolled as in inclusion_proof.
    hashes: list[bytes] = []
    start, end, m, whole = 0, new_size, old_size, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            hashes.append(_tree_hash(leaves, start + k, end))
            end = start + k
        else:
            hashes.append(_tree_hash(leaves, start, start + k))
            start, m, whole = start + k, m - k, False
    if not whole:
        # The old tree's root is not a node of the new tree's path: give the subtree it ends in.
        hashes.append(_tree_hash(leaves, start, end))
    return tuple(reversed(hashes))


def _check_hash(name: str, value: bytes) -> None:
    """Refuse a hash of the wrong length, so that a truncated proof cannot pass by accident."""
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        raise VerificationError(f"{name} is not a {HASH_SIZE}-byte hash")


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that `leaf_hash` is leaf `index` of tree `size` with `root` (RFC 9162 2.1.3.2)."""
    _check_hash("leaf hash", leaf_hash)
    _check_hash("root", root)
    for position, value in enumerate(proof):
        _check_hash(f"proof hash {position}", value)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise VerificationError(f"leaf index {index!r} is not a non-negative integer")
    if isinstance(size, bool) or not isinstance(size, int) or index >= size:
        raise VerificationError(f"leaf index {index} is not in a tree of size {size!r}")
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise VerificationError(f"inclusion proof for leaf {index} of {size} is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError(f"inclusion proof for leaf {index} of {size} is too short")
    if r != root:
        raise VerificationError(f"inclusion proof for leaf {index} of {size} does not reach root")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree `old_root` of `old_size` is a prefix of `new_root` (RFC 9162 2.1.4.2)."""
    _check_hash("old root", old_root)
    _check_hash("new root", new_root)
    for position, value in enumerate(proof):
        _check_hash(f"proof hash {position}", value)
    for name, size in (("old size", old_size), ("new size", new_size)):
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise VerificationError(f"{name} {size!r} is not a non-negative integer")
    if old_size > new_size:
        raise VerificationError(f"old size {old_size} is larger than new size {new_size}")
    if old_size == 0 or old_size == new_size:
        # RFC 9162 defines proofs for 0 < old < new only; these two cases need no proof, and a
        # checkpoint that claims them must carry the root the size implies.
        if proof:
            raise VerificationError(f"consistency from {old_size} to {new_size} needs no proof")
        if old_size == 0 and old_root != EMPTY_ROOT:
            raise VerificationError("old root is not the root of the empty tree")
        if old_size == new_size and old_root != new_root:
            raise VerificationError(f"trees of the same size {old_size} have different roots")
        return
    if not proof:
        raise VerificationError(f"consistency proof from {old_size} to {new_size} is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # The old tree is a perfect subtree of the new one: its root starts the path.
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationError(f"consistency proof from {old_size} to {new_size} is too long")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise VerificationError(f"consistency proof from {old_size} to {new_size} is too short")
    if fr != old_root:
        raise VerificationError(
            f"consistency proof from {old_size} to {new_size} does not reach the old root"
        )
    if sr != new_root:
        raise VerificationError(
            f"consistency proof from {old_size} to {new_size} does not reach the new root"
        )


class MerkleLog:
    """An append-only Merkle tree that keeps only its frontier: its perfect subtrees' roots."""

    __slots__ = ("_frontier", "_size")

    def __init__(self, size: int = 0, frontier: Iterable[bytes] = ()) -> None:
        # A log restored from storage carries its size and frontier; a new one starts empty.
        _check_size("size", size)
        nodes = list(frontier)
        if len(nodes) != size.bit_count():
            raise RecordError(
                f"a log of size {size} has {size.bit_count()} frontier hashes, not {len(nodes)}"
            )
        for position, node in enumerate(nodes):
            if not isinstance(node, bytes) or len(node) != HASH_SIZE:
                raise RecordError(f"frontier hash {position} is not a {HASH_SIZE}-byte hash")
        self._size = size
        # Largest subtree first: bit i of the size, from the top, is one perfect subtree of 2**i.
        self._frontier = nodes

    @property
    def size(self) -> int:
        """Return the number of leaves appended."""
        return self._size

    @property
    def frontier(self) -> tuple[bytes, ...]:
        """Return the roots of the perfect subtrees, largest first, to store and restore the log."""
        return tuple(self._frontier)

    def append(self, leaf_hash: bytes) -> int:
        """Append one leaf hash and return its index."""
        if not isinstance(leaf_hash, bytes) or len(leaf_hash) != HASH_SIZE:
            raise RecordError(f"leaf {self._size} is not a {HASH_SIZE}-byte leaf hash")
        index = self._size
        # Each trailing one bit of the old size is a subtree of the same height as the one being
        # carried: merge them, as in binary addition.
        node, carry = leaf_hash, index
        frontier = self._frontier
        while carry & 1:
            node = node_hash(frontier.pop(), node)
            carry >>= 1
        frontier.append(node)
        self._size = index + 1
        return index

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append leaf hashes in order."""
        for value in leaf_hashes:
            self.append(value)

    def root(self) -> bytes:
        """Return the root of the tree over every leaf appended so far."""
        if not self._frontier:
            return EMPTY_ROOT
        # MTH splits at the largest power of two, which is the largest frontier subtree: so the
        # root folds the frontier from the right.
        node = self._frontier[-1]
        for left in reversed(self._frontier[:-1]):
            node = node_hash(left, node)
        return node
