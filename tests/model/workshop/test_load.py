"""30 participants submitting at once lose nothing — threads and processes, SQLite and PostgreSQL.

Through a participant's handle (``model.library.join(store, token).submit``), as the participant
page does: 30
threads in one process (one app replica's sessions), and 6 separate Python interpreters
(``multiprocessing`` with spawn, each with its own engine, like app replicas) of 5 threads each."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from model import workshop
from model.library import Library, join
from model.store import forget_stores, open_store
from tests.support.threads import run_threads

N = 30


def raw(i: int, vote: str, likely: float) -> dict:
    return {"participant": f"participant-{i}", "name": f"P{i}", "round": "before", "vote": vote,
            "confidence": 0.5,
            "estimates": {"bad_profit_share": {"low": 0.01, "likely": likely, "high": 0.3}}}


def vote_of(i: int) -> str:
    return workshop.VOTES[i % 3]


PROCESSES = 6


def _submit_in_process(args: tuple[str, str, list[int], int]) -> str:
    from concurrent.futures import ThreadPoolExecutor

    url, token, who, repeats = args
    room = join(open_store(url), token)

    def one(i: int) -> None:
        for k in range(repeats):  # resubmissions replace: the last one counts
            room.submit(raw(i, vote_of(i + k), 0.05 + k / 100))

    with ThreadPoolExecutor(len(who)) as pool:
        list(pool.map(one, who))
    return "ok"


def check(store, workshop_id: str, repeats: int) -> None:
    rows = Library(store).answers(workshop_id)
    assert len(rows) == N  # 30 of 30 stored, one row each
    assert sorted(r.participant_key for r in rows) == sorted(f"participant-{i}" for i in range(N))
    res = Library(store).results(workshop_id)
    assert res.participants == N
    expected = {v: 0 for v in workshop.VOTES}
    for i in range(N):
        expected[vote_of(i + repeats - 1)] += 1
    assert res.votes["before"] == expected  # counted once per participant, the last vote
    assert sum(res.votes["before"].values()) == N
    last = 0.05 + (repeats - 1) / 100
    assert all(e.likely == pytest.approx(last) for e in res.estimates["bad_profit_share"])


@pytest.mark.parametrize("repeats", [1, 3])
def test_thirty_threads_submit_at_once(store_url, repeats):
    store = open_store(store_url)
    shop = Library(store).start_workshop()
    room = join(store, shop.join_token)

    def work(i: int) -> None:
        for k in range(repeats):
            room.submit(raw(i, vote_of(i + k), 0.05 + k / 100))

    errors = run_threads(work, N)
    assert errors == []
    check(store, shop.id, repeats)


@pytest.mark.slow
def test_thirty_processes_submit_at_once(store_url):
    store = open_store(store_url)
    shop = Library(store).start_workshop()
    forget_stores()  # no open connections carried into the children
    jobs = [(store_url, shop.join_token, list(range(p, N, PROCESSES)), 2)
            for p in range(PROCESSES)]
    with mp.get_context("spawn").Pool(PROCESSES) as pool:
        assert pool.map(_submit_in_process, jobs) == ["ok"] * PROCESSES
    check(open_store(store_url), shop.id, 2)
