"""The fault suite's verdict (bench/faults.py): which answers, lost writes and
unsent emails count as a missed target. The suite itself runs real servers
for a minute or two and is not part of the test suite; its judgement is."""

import collections

from bench.faults import OUTSIDE, Fault, Request, misses, summarise


def faults_at(postgres=(10.0, 11.0)):
    restart = Fault("PostgreSQL restart", "while PostgreSQL restarted")
    restart.started, restart.ended = postgres
    redis = Fault("Redis restart", "while Redis restarted")
    redis.started, redis.ended = 20.0, 21.0
    return {"PostgreSQL restart": restart, "Redis restart": redis}


def request(at, outcome, step="complete"):
    return Request(at, at + 0.1, 0, "node A", step, outcome)


def nothing_lost():
    return {"lost": collections.Counter(), "duplicated": collections.Counter()}


def test_503s_while_postgresql_restarts_are_expected_and_recovery_is_measured():
    log = [request(5, "302"), request(10.2, "503"), request(11.5, "503"), request(12.0, "302")]
    outcomes, recovery, to_503 = summarise(log, faults_at())
    assert outcomes[("while PostgreSQL restarted", "503")] == 2
    assert round(recovery, 2) == 1.1  # the first success ended at 12.1, PostgreSQL was up at 11
    assert round(to_503, 2) == 0.3
    assert misses(outcomes, nothing_lost(), {"sent": 3}) == []


def test_a_503_outside_the_restart_window_or_any_500_is_a_miss():
    log = [request(20.5, "503"), request(30, "500"), request(10.5, "502")]
    outcomes, _, _ = summarise(log, faults_at())
    assert sorted(misses(outcomes, nothing_lost(), {})) == [
        "1 x 500 outside any fault",
        "1 x 502 while PostgreSQL restarted",
        "1 x 503 while Redis restarted",
    ]


def test_no_answer_or_a_rep_signed_out_is_a_miss_even_during_a_fault():
    log = [request(10.5, "ReadTimeout"), request(20.5, "302 to sign-in")]
    outcomes, _, _ = summarise(log, faults_at())
    assert len(misses(outcomes, nothing_lost(), {})) == 2


def test_lost_or_doubled_writes_and_unsent_emails_are_misses():
    found = nothing_lost()
    found["lost"]["lesson completions"] = 1
    found["duplicated"]["emails"] = 2
    found["given up"] = [("complete", "/courses/x/lesson/complete/")]
    problems = misses({(OUTSIDE, "302"): 10}, found, {"sent": 5, "pending": 1})
    assert problems == [
        "1 lesson completions lost",
        "2 emails duplicated",
        "1 steps a rep gave up on after failing for a minute",
        "emails not sent: {'sent': 5, 'pending': 1}",
    ]


def test_a_report_block_is_added_once_then_replaced(tmp_path):
    from bench import write_block

    report = tmp_path / "BENCHMARKS.md"
    report.write_text("# Benchmarks\n")
    write_block("first figures", name="faults", heading="Faults", report=report)
    write_block("second figures", name="faults", heading="Faults", report=report)
    text = report.read_text()
    assert text.count("## Faults") == 1
    assert "second figures" in text and "first figures" not in text
