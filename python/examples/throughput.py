"""Throughput of a sharded simulation on a 2-worker local Dask cluster against one process
(rayon on every core): `python python/examples/throughput.py [RUNS] [FILE]` from the
repository root. Prints runs per second of each and their ratio; checks equal bytes."""

import sys
import time

from distributed import Client, LocalCluster

import dealzone
import dealzone.dask

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
path = sys.argv[2] if len(sys.argv) > 2 else "seeds/wage_round.toml"

if __name__ == "__main__":
    s = dealzone.load(path, time_limit=None)
    t = time.perf_counter()
    whole = s.simulate(runs, 1)
    single = time.perf_counter() - t
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        dealzone.dask.simulate(s, 1000, 1, client)  # warm the workers (load the scenario once)
        t = time.perf_counter()
        sim = dealzone.dask.simulate(s, runs, 1, client)
        sharded = time.perf_counter() - t
    assert sim.json() == whole.json()
    print(f"{path}, {runs} runs")
    print(f"one process (rayon): {single:.2f} s, {runs / single:,.0f} runs/s")
    print(f"dask, 2 workers:     {sharded:.2f} s, {runs / sharded:,.0f} runs/s")
    print(f"ratio: {single / sharded:.1%} of the single-process throughput")
