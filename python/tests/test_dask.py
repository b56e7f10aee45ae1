"""Sharded simulations on a 2-worker LocalCluster equal the single-process batch byte for
byte, also when a worker is killed mid-run (Dask runs its shards again)."""

import os
import signal
import threading
import time

import pytest

import dealzone

distributed = pytest.importorskip("distributed")
import dealzone.dask  # noqa: E402

WAGE = "seeds/wage_round.toml"


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.parametrize("n", [1, 2, 7])
def test_shards_on_two_workers_are_the_unsharded_bytes(client, cli, root, n):
    s = dealzone.load(root / WAGE, time_limit=None)
    whole = s.simulate(runs=2500, seed=5)
    sim = dealzone.dask.simulate(str(root / WAGE), 2500, 5, client, shards=n)
    assert sim.json() == whole.json()
    assert sim.text() == whole.text()
    assert sim.text() == cli.text("simulate", WAGE, "--runs", "2500", "--seed", "5")


def test_a_loaded_scenario_travels_to_the_workers(client, root):
    s = dealzone.load(root / "seeds/russia_ukraine/timeline.toml", at="2024-09-12", time_limit=None)
    sim = dealzone.dask.simulate(s, 300, 2, client, shards=3, rounds=40)
    assert sim.text() == s.simulate(300, 2, rounds=40).text()
    text = (root / "seeds/supplier_contract.toml").read_text()
    inline = dealzone.loads(text, name="supplier.toml", time_limit=None)
    assert dealzone.dask.simulate(inline, 500, 9, client).json() == inline.simulate(500, 9).json()


def test_shards_of_another_batch_are_refused(root):
    s = dealzone.load(root / WAGE, time_limit=None)
    docs = [s.simulate_shard(i, 2, runs=50, seed=1) for i in range(2)]
    with pytest.raises(dealzone.DealzoneError, match="with seed 2, not 50 runs with seed 1"):
        s.merge([docs[0], s.simulate_shard(1, 2, runs=50, seed=2)], runs=50, seed=1)
    other = dealzone.load(root / "seeds/supplier_contract.toml")
    with pytest.raises(dealzone.DealzoneError, match="another scenario"):
        other.merge(docs, runs=50, seed=1)
    assert s.merge(docs[::-1], runs=50, seed=1).json() == s.simulate(50, 1).json()


def test_a_worker_killed_mid_run_gives_the_same_bytes(client, root):
    s = dealzone.load(root / WAGE, time_limit=None)
    runs, seed = 60_000, 11
    whole = s.simulate(runs, seed)
    out = {}

    def go():
        out["sim"] = dealzone.dask.simulate(s, runs, seed, client, shards=24)

    t = threading.Thread(target=go)
    t.start()
    # Kill one worker once shards are running on it: the nanny starts a new one and the
    # scheduler runs its lost shards again.
    deadline = time.time() + 60
    killed = False
    while time.time() < deadline and t.is_alive():
        processing = client.processing()
        busy = [w for w, tasks in processing.items() if tasks]
        if busy:
            pids = client.run(os.getpid, workers=[busy[0]])
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed = True
            break
        time.sleep(0.05)
    t.join(timeout=600)
    assert killed, "no shard was running to interrupt"
    assert out["sim"].json() == whole.json()
    assert out["sim"].text() == whole.text()


@pytest.mark.parametrize("n", [1, 2, 7])
def test_sweeps_in_shards_on_two_workers_are_the_unsharded_report(client, cli, root, n):
    f = "tests/fixtures/valid/graded_timeline.toml"
    r = dealzone.dask.timeline(str(root / f), samples=60, seed=4, client=client, shards=n)
    assert r.text() == cli.text("timeline", f, "--samples", "60", "--seed", "4")
    assert r.to_dict() == cli.json("timeline", f, "--samples", "60", "--seed", "4")
