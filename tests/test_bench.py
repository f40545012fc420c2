"""The benchmarks' own arithmetic: how server times are read from gunicorn's access log and summarised."""

import itertools

import pytest

from bench.common import measure, print_results, server_times, summary


def test_summary_is_the_median_and_the_sample_at_the_95_percent_rank():
    assert summary([float(ms) for ms in range(100, 0, -1)]) == (50.5, 96.0)
    assert summary([3.0]) == (3.0, 3.0)


@pytest.fixture
def server(tmp_path):
    """A stand-in for gunicorn: answers each request by logging it in SERVER_TIME_FORMAT."""
    log_path = tmp_path / "access.log"
    log_path.touch()
    times = {"/case": itertools.count(10), "/healthz": itertools.count(1)}

    def send(method, path, body):
        with log_path.open("a") as log:
            log.write(f"{method} {path} {next(times[path]) * 1000}\n")

    with log_path.open() as log:
        yield send, log


def test_server_times_are_read_in_milliseconds(server):
    send, log = server
    send("GET", "/healthz", None)
    send("POST", "/case", "a=1")

    assert server_times(log, 2) == [("/healthz", 1.0), ("/case", 10.0)]


def test_a_case_is_measured_against_the_trivial_view_it_alternates_with(server):
    send, log = server

    case, floor = measure(send, log, "POST", "/case", itertools.repeat("a=1"), 20, "/healthz")

    # five warm-up rounds (10 to 14 ms, 1 to 5 ms) are left out
    assert case == (24.5, 34.0)
    assert floor == (15.5, 25.0)


def test_a_ratio_just_over_the_target_is_not_rounded_down_to_it(capsys):
    print_results([("recalculate, 50 lines", (2.23, 3.04), (1.2, 1.49), 3)])

    assert "| recalculate, 50 lines | 2.23 | 3.04 | 1.20 | 1.49 | 1.86x | 2.04x | 3 |" in capsys.readouterr().out


def test_a_log_out_of_step_with_the_requests_is_an_error(server):
    send, log = server
    send("GET", "/healthz", None)  # a request the benchmark did not send

    with pytest.raises(RuntimeError, match="out of step"):
        measure(send, log, "POST", "/case", itertools.repeat("a=1"), 20, "/healthz")


def test_keystrokes_change_one_amount_each_and_post_back_what_the_cells_show():
    import json
    from types import SimpleNamespace

    from bench.run import keystrokes

    session = SimpleNamespace(last_post_answer=b"")
    typing = keystrokes(2, session)

    first = json.loads(next(typing))
    session.last_post_answer = b'<input type="hidden" name="lines-0-shown" value="ab12"><input name="lines-1-shown" value="x">'
    second = json.loads(next(typing))

    assert (first["lines-0-amount"], first["lines-1-amount"]) == ("100", "6")
    assert (second["lines-0-amount"], second["lines-1-amount"]) == ("100", "101")  # one line changed since the last
    assert "lines-0-shown" not in first and second["lines-0-shown"] == "ab12"
