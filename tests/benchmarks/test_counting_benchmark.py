"""The counting benchmark still runs, and at tiny sizes its counts agree with the peers'."""

from collections import Counter

import pytest

from benchmarks import counting as bench

TINY = bench.Sizes(
    stv=3_000,
    peers=2_000,
    probe=500,
    schulze=3_000,
    schulze_peer=500,
    cli=3_000,
    runs=2,
    cli_runs=1,
    peer_budget_s=5.0,
)
NAMES = bench.candidate_names()


def test_the_generator_is_reproducible_from_its_seed() -> None:
    assert bench.generate_rankings(500, seed=3) == bench.generate_rankings(500, seed=3)
    assert bench.generate_rankings(500, seed=3) != bench.generate_rankings(500, seed=4)


def test_the_generator_draws_truncated_rankings_of_distinct_candidates() -> None:
    rankings = bench.generate_rankings(5_000, chunk=1_000)
    assert len(rankings) == 5_000
    assert all(len(set(r)) == len(r) and set(r) <= set(NAMES) for r in rankings)
    lengths = Counter(map(len, rankings))
    assert min(lengths) == 1
    assert max(lengths) == bench.CANDIDATES
    # Most voters rank a few candidates; about a tenth rank half of them or more.
    assert lengths[1] + lengths[2] + lengths[3] > 0.6 * len(rankings)
    long = sum(n for length, n in lengths.items() if length >= bench.CANDIDATES // 2)
    assert 0.08 * len(rankings) < long < 0.15 * len(rankings)
    assert len(set(rankings)) < len(rankings)


def test_first_preferences_follow_zipf_strengths() -> None:
    rankings = bench.generate_rankings(20_000)
    firsts = sorted(Counter(r[0] for r in rankings).values(), reverse=True)
    # Under Plackett-Luce the k-th strongest is ranked first with probability (1/k) / H(20).
    harmonic = sum(1 / k for k in range(1, bench.CANDIDATES + 1))
    for k in (1, 2, 5):
        assert firsts[k - 1] / len(rankings) == pytest.approx(1 / k / harmonic, rel=0.1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scottish_stv_elects_as_pref_voting_does(seed: int) -> None:
    rankings = bench.generate_rankings(2_000, seed=seed)
    ours = bench.count_frombelow_stv(NAMES, rankings, bench.SEATS)
    theirs = bench.count_pref_voting_stv(NAMES, rankings, bench.SEATS)
    assert len(ours) == bench.SEATS
    assert set(ours) == set(theirs)


@pytest.mark.parametrize("library", ["pyrankvote-stv", "votekit-stv"])
def test_other_stv_variants_elect_the_same_on_a_clear_profile(library: str) -> None:
    rankings = bench.generate_rankings(2_000)
    ours = bench.count_frombelow_stv(NAMES, rankings, bench.SEATS)
    # Their rules differ from Scottish STV (quota, transfer values), which matters only in close
    # counts; this seeded profile is not close, so they elect the same nine.
    assert set(bench.LIBRARIES[library].count(NAMES, rankings, bench.SEATS)) == set(ours)


def test_schulze_elects_a_winner_of_pref_voting_beat_path() -> None:
    rankings = bench.generate_rankings(1_000)
    ours = bench.count_frombelow_schulze(NAMES, rankings, 1)
    theirs = bench.count_pref_voting_schulze(NAMES, rankings, 1)
    assert len(ours) == 1
    assert ours[0] in theirs


def test_a_worker_counts_as_this_process_does() -> None:
    timing = bench.time_in_worker("frombelow-stv", 1_000, runs=2, budget_s=30, timeout_s=120)
    assert isinstance(timing, bench.Timing)
    assert len(timing.seconds) == 2
    rankings = bench.generate_rankings(1_000)
    assert timing.distinct == len(set(rankings))
    assert timing.winners == bench.count_frombelow_stv(NAMES, rankings, bench.SEATS)


def test_the_memory_a_count_adds_is_measured() -> None:
    memory = bench.measure_memory(2_000)
    assert memory.traced_peak > 0
    assert memory.rss_after >= memory.rss_before > 0


def test_every_frombelow_part_runs_at_tiny_sizes() -> None:
    parts = ("stv", "memory", "schulze", "cli")
    report = bench.run_parts(parts, TINY, checked=False, timeout_s=120)
    assert {figure.part for figure in report.figures} == set(parts)
    assert not report.failed, report.table()
    winners = {f.what: f.figure for f in report.figures if "winners" in f.what}
    # The command line reads the BLT file of the same profile and elects the same nine.
    assert winners == {
        "winners against the in-memory count": "same candidates elected",
        "pref_voting beat_path (Schulze): winners": "same candidates elected",
    }


def test_a_peer_out_of_time_gives_a_lower_bound_on_the_ratio() -> None:
    ours = bench.Timing("frombelow-stv", 2_000, 0, (0.001,), ())
    run = bench.Bench(TINY, bench.Report(checked=True), timeout_s=0.001)
    bench.compare_peer(run, "pref_voting-stv", ours, 100, "peers")
    ratio, largest = run.report.figures
    assert ratio.figure.startswith("> 1x")
    assert ratio.verdict == "FAIL"
    assert largest.figure == "not even 500 ballots in 0 s"


def test_the_report_judges_only_at_full_sizes() -> None:
    full, quick = bench.Report(checked=True), bench.Report(checked=False)
    for report in (full, quick):
        report.judge("stv", "count", "2 s", "<= 1 s", passed=False)
    assert full.failed
    assert not quick.failed
    assert "n/a (quick)" in quick.table()


def test_a_measurement_that_cannot_be_made_fails_even_when_quick() -> None:
    report = bench.Report(checked=False)
    report.error("cli", "frombelow count", "exit 1: no such command")
    assert report.failed
    assert "ERROR" in report.table()
