"""Sharded simulations, timeline sweeps and tournaments on a Dask cluster.

``simulate(path_or_scenario, runs, seed, client=None)`` cuts the batch into shards (runs
``⌊i·R/N⌋ .. ⌊(i+1)·R/N⌋``), plays each on a worker and merges the shard documents in
shard order into a :class:`dealzone.Simulation` whose ``text()`` and ``to_dict()`` are the
single-process batch's, byte for byte: each run is a pure function of the scenario, the
seed and its number, and the merge replays every run's record through the same summary in
run order. A shard lost with its worker is simply run again (Dask retries it), with the
same result.

On a Slurm cluster (``pip install dask-jobqueue``)::

    from dask_jobqueue import SLURMCluster
    from distributed import Client
    import dealzone.dask
    cluster = SLURMCluster(cores=8, memory="8GB", walltime="01:00:00")
    cluster.scale(jobs=10)
    sim = dealzone.dask.simulate("seeds/wage_round.toml", runs=10_000_000, seed=1,
                                 client=Client(cluster))
"""

from __future__ import annotations

import os
from typing import Any, Optional, Union

from . import (
    Scenario,
    Simulation,
    TimelineReport,
    Tournament,
    load,
    merge_tournament,
    tournament_shard,
)

__all__ = ["simulate", "timeline", "tournament"]


def _shard(
    scenario: Scenario,
    index: int,
    count: int,
    runs: int,
    seed: int,
    rounds: Optional[int],
    protocol: Optional[str],
    opener: Optional[str],
) -> str:
    return scenario.simulate_shard(index, count, runs, seed, rounds, protocol, opener=opener)


def simulate(
    path_or_scenario: Union[str, "os.PathLike[str]", Scenario],
    runs: int,
    seed: int = 0,
    client: Any = None,
    *,
    shards: Optional[int] = None,
    rounds: Optional[int] = None,
    protocol: Optional[str] = None,
    opener: Optional[str] = None,
    retries: int = 3,
) -> Simulation:
    """Simulate ``runs`` seeded runs in shards over a Dask client.

    Args:
        path_or_scenario: a scenario or timeline file (its latest date, with no time
            limit), or a loaded :class:`dealzone.Scenario` (pickled to the workers as how
            it was loaded; a shard cut by its ``time_limit`` ends the batch there).
        runs, seed, rounds, protocol, opener: as :meth:`dealzone.Scenario.simulate`.
        client: a ``distributed.Client``; default the current one (``get_client()``).
        shards: number of shards; default twice the workers' threads (at least 1).
        retries: how often a failed shard (a lost worker) is run again.

    Returns:
        The batch, equal byte for byte to ``scenario.simulate(runs, seed)``.
    """
    scenario = (
        path_or_scenario
        if isinstance(path_or_scenario, Scenario)
        else load(path_or_scenario, time_limit=None)
    )
    if client is None:
        from distributed import get_client

        client = get_client()
    if shards is None:
        threads = sum(client.nthreads().values()) or 1
        shards = max(1, min(runs, 2 * threads))
    futures = client.map(
        _shard,
        [scenario] * shards,
        range(shards),
        [shards] * shards,
        [runs] * shards,
        [seed] * shards,
        [rounds] * shards,
        [protocol] * shards,
        [opener] * shards,
        retries=retries,
        pure=False,
    )
    documents = client.gather(futures)
    return scenario.merge(documents, runs, seed, rounds, protocol, opener=opener)


def _sweep_shard(scenario: Scenario, index: int, count: int, samples: int, seed: int) -> str:
    return scenario.timeline_shard(index, count, samples, seed)


def timeline(
    path_or_scenario: Union[str, "os.PathLike[str]", Scenario],
    samples: int = 200,
    seed: int = 1,
    client: Any = None,
    *,
    shards: Optional[int] = None,
    retries: int = 3,
) -> TimelineReport:
    """The timeline report with its sensitivity sweeps in shards over a Dask client.

    Each shard draws samples ``⌊i·S/N⌋ .. ⌊(i+1)·S/N⌋`` of every sweep (and computes the
    report's other findings, which draw no random number); the merge adds the integer
    counts, so the report equals ``scenario.timeline(samples, seed)`` byte for byte.

    Args:
        path_or_scenario: a timeline or scenario file (no time limit), or a loaded
            :class:`dealzone.Scenario`.
        samples, seed: as :meth:`dealzone.Scenario.timeline`.
        client: a ``distributed.Client``; default the current one.
        shards: number of shards; default the workers' threads (at least 1).
        retries: how often a failed shard is run again.
    """
    scenario = (
        path_or_scenario
        if isinstance(path_or_scenario, Scenario)
        else load(path_or_scenario, time_limit=None)
    )
    if client is None:
        from distributed import get_client

        client = get_client()
    if shards is None:
        shards = max(1, sum(client.nthreads().values()))
    futures = client.map(
        _sweep_shard,
        [scenario] * shards,
        range(shards),
        [shards] * shards,
        [samples] * shards,
        [seed] * shards,
        retries=retries,
        pure=False,
    )
    return scenario.merge_timeline(client.gather(futures), samples, seed)


def tournament(
    spec_path: Union[str, "os.PathLike[str]"],
    client: Any = None,
    *,
    shards: Optional[int] = None,
    retries: int = 3,
) -> Tournament:
    """A tournament played in shards over a Dask client.

    Shard ``i`` of ``N`` plays matches ``⌊i·M/N⌋ .. ⌊(i+1)·M/N⌋`` of the tournament's ``M``
    (in match order); every match's seed comes from the master seed and its place, so the
    shards' rows, merged in shard order, are the single-process tournament's: the result's
    ``csv()`` is byte for byte the table of ``dealzone tournament SPEC --out FILE`` and its
    ``to_dict()`` that command's ``--json`` scores. A shard lost with its worker is run
    again (Dask retries it), with the same rows. Shards run without a time limit.

    Args:
        spec_path: the tournament spec; every worker reads it and the scenario files it
            names (a shared file system, as on a Slurm cluster).
        client: a ``distributed.Client``; default the current one (``get_client()``).
        shards: number of shards; default twice the workers' threads (at least 1).
        retries: how often a failed shard (a lost worker) is run again.

    Returns:
        The :class:`dealzone.Tournament`.

    Raises:
        DealzoneError: a spec that does not load (positioned), or one with outside agents
            (they are seated on the command line only).
    """
    path = os.path.abspath(os.fspath(spec_path))
    if client is None:
        from distributed import get_client

        client = get_client()
    if shards is None:
        shards = max(1, 2 * sum(client.nthreads().values()))
    futures = client.map(
        tournament_shard,
        [path] * shards,
        range(shards),
        [shards] * shards,
        retries=retries,
        pure=False,
    )
    return merge_tournament(path, client.gather(futures))
