"""Tournaments from Python: the table and scores equal the command line's, unsharded, in
shards and on a 2-worker LocalCluster (N = 1, 2, 7), also with a worker killed mid-run;
shard sets that are not one tournament raise DealzoneError naming the shard."""

import os
import signal
import threading
import time

import pytest

import dealzone

distributed = pytest.importorskip("distributed")
import dealzone.dask  # noqa: E402

SPEC = """seed = 9
repetitions = {reps}

[[scenarios]]
file = "wage_round.toml"
[[scenarios]]
file = "supplier_contract.toml"

[[tactics]]
name = "boulware"
kind = "boulware"
[[tactics]]
name = "conceder"
kind = "conceder"
[[tactics]]
name = "tft"
kind = "tit_for_tat"
"""


def _spec(folder, root, reps=3, name="spec.toml"):
    for f in ("wage_round.toml", "supplier_contract.toml"):
        (folder / f).write_bytes((root / "seeds" / f).read_bytes())
    path = folder / name
    path.write_text(SPEC.format(reps=reps))
    return path


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def _cli_table(cli, spec, out):
    scores = cli.json("tournament", spec, "--out", out)
    return out.read_text(), scores


def test_the_tournament_and_its_shards_are_the_command_lines(tmp_path, cli, root):
    spec = _spec(tmp_path, root)
    table, scores = _cli_table(cli, spec, tmp_path / "whole.csv")
    t = dealzone.tournament(spec)
    assert t.csv() == table
    assert t.to_dict() == scores
    assert len(t.to_pandas()) == 54
    parts = [dealzone.tournament_shard(spec, i, 7) for i in range(7)]
    # The same shard table as `dealzone tournament SPEC --shard 3/7 --out FILE`.
    cli.text("tournament", spec, "--shard", "3/7", "--out", tmp_path / "p3.csv")
    assert parts[3] == (tmp_path / "p3.csv").read_text()
    merged = dealzone.merge_tournament(spec, parts[::-1])
    assert merged.csv() == table
    assert merged.to_dict() == scores


@pytest.mark.parametrize("n", [1, 2, 7])
def test_shards_on_two_workers_are_the_unsharded_bytes(tmp_path, client, cli, root, n):
    spec = _spec(tmp_path, root)
    table, scores = _cli_table(cli, spec, tmp_path / "whole.csv")
    t = dealzone.dask.tournament(spec, client=client, shards=n)
    assert t.csv() == table
    assert t.to_dict() == scores


def test_shard_sets_that_are_not_one_tournament_are_refused(tmp_path, root):
    spec = _spec(tmp_path, root)
    other = _spec(tmp_path, root, reps=2, name="other.toml")
    parts = [dealzone.tournament_shard(spec, i, 3) for i in range(3)]
    with pytest.raises(dealzone.DealzoneError, match="tournament shard 1/3 is missing"):
        dealzone.merge_tournament(spec, [parts[0], parts[2]])
    with pytest.raises(dealzone.DealzoneError, match="tournament shard 2/3 is given twice"):
        dealzone.merge_tournament(spec, [parts[0], parts[1], parts[2], parts[2]])
    with pytest.raises(dealzone.DealzoneError, match="is of another tournament"):
        dealzone.merge_tournament(other, parts)
    with pytest.raises(dealzone.DealzoneError, match="shard 3/2 does not exist"):
        dealzone.tournament_shard(spec, 3, 2)


def test_a_worker_killed_mid_run_gives_the_same_bytes(tmp_path, client, cli, root):
    # 2 scenarios × 9 line-ups × 300 repetitions: long enough to kill a worker mid-shard.
    spec = _spec(tmp_path, root, reps=300)
    table, scores = _cli_table(cli, spec, tmp_path / "whole.csv")
    out = {}

    def go():
        out["t"] = dealzone.dask.tournament(spec, client=client, shards=24)

    t = threading.Thread(target=go)
    t.start()
    # Kill one worker once shards are running on it: the nanny starts a new one and the
    # scheduler runs its lost shards again.
    deadline = time.time() + 60
    killed = False
    while time.time() < deadline and t.is_alive():
        busy = [w for w, tasks in client.processing().items() if tasks]
        if busy:
            pids = client.run(os.getpid, workers=[busy[0]])
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed = True
            break
        time.sleep(0.05)
    t.join(timeout=600)
    assert killed, "no shard was running to interrupt"
    assert out["t"].csv() == table
    assert out["t"].to_dict() == scores
