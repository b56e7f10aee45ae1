"""dealzone from Python: rule-based negotiation analysis.

Load a scenario (or one date of a timeline) and run the library's analyses on it; each
result is a typed object whose ``text()`` is what the ``dealzone`` command prints and
whose ``to_dict()`` is its ``--json`` document::

    import dealzone
    s = dealzone.load("seeds/russia_ukraine/timeline.toml", at="2024-02-08")
    z = s.zones()
    print(z)                      # the command line's report
    z.to_dict()["acceptable"]     # the --json document, as a dict
    s.simulate(runs=10_000, seed=1).to_dict()

Every analysis runs with the interpreter released. Errors are :class:`DealzoneError`
with the library's positioned message (``file:line:column``, did-you-mean).
Sharded simulations over Dask: :mod:`dealzone.dask`.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any, Iterable, Optional, Sequence

from . import _dealzone
from ._dealzone import DealzoneError

__all__ = [
    "DealzoneError",
    "Scenario",
    "Result",
    "Zones",
    "Paths",
    "Explanation",
    "Bargain",
    "Stability",
    "Simulation",
    "TimelineReport",
    "load",
    "loads",
]


class Result:
    """One analysis' result: ``text()`` (the command's report), ``to_dict()`` (its
    ``--json`` document) and, where there is a picture, ``svg()``."""

    kind = "result"

    def __init__(self, native: Any, scenario: "Scenario"):
        self._native = native
        self._dict: Optional[dict] = None
        self.scenario = scenario

    def text(self) -> str:
        """The readable report, byte for byte what the command prints."""
        return self._native.text()

    def json(self) -> str:
        """The ``--json`` document as JSON text (one line)."""
        return self._native.json()

    def to_dict(self) -> dict:
        """The ``--json`` document as a dict (a fresh copy each call)."""
        if self._dict is None:
            self._dict = json.loads(self._native.json())
        return json.loads(json.dumps(self._dict))

    def svg(self) -> Optional[str]:
        """The result's picture in utility space (SVG), or None."""
        return self._native.svg()

    def _repr_svg_(self) -> Optional[str]:
        return self.svg()

    def csv(self) -> Optional[str]:
        """The result's table as CSV text (the command's ``--format csv``: one row per
        acceptable state for zones, per Pareto point for bargaining), or None."""
        return self._native.csv()

    def to_pandas(self):
        """The result's table (:meth:`csv`) as a ``pandas.DataFrame`` (pandas needed)."""
        return _frame(self.csv(), type(self).__name__)

    def __str__(self) -> str:
        return self.text()

    def _summary(self) -> str:
        return ""

    def __repr__(self) -> str:
        extra = self._summary()
        return f"<dealzone.{type(self).__name__} of {self.scenario.name!r}{': ' + extra if extra else ''}>"


class Zones(Result):
    """Deal zones, or with no deal the proof why (``to_dict()["explanation"]``)."""

    kind = "zones"

    @property
    def is_deal(self) -> bool:
        """Whether some state is acceptable to every party."""
        return bool(self.to_dict()["acceptable"])

    def _summary(self) -> str:
        d = self.to_dict()
        if d["acceptable"]:
            return f"{d['acceptable']} acceptable states in {len(d['zones'])} zone(s)"
        return "no deal"

    def boxes(self) -> list:
        """One row per box of acceptable states: ``{"zone": k, issue: [lowest, highest]…}``
        (a table for pandas: ``pandas.DataFrame(z.boxes())``)."""
        rows = []
        for k, z in enumerate(self.to_dict()["zones"]):
            for box in z.get("boxes", []):
                row = {"zone": k}
                row.update(box)
                rows.append(row)
        return rows


class Paths(Result):
    """The path from the status quo into each zone."""

    kind = "paths"

    def _summary(self) -> str:
        d = self.to_dict()
        paths = d.get("paths", [])
        return f"{len(paths)} path(s)"


class Explanation(Result):
    """Minimal conflicts and relaxations, least softenings, witnesses, certificates."""

    kind = "explain"

    def _summary(self) -> str:
        d = self.to_dict()
        return f"{len(d.get('conflicts', []))} conflict(s), {len(d.get('relaxations', []))} relaxation(s)"


class Bargain(Result):
    """Pareto frontier and the Nash, Kalai–Smorodinsky, egalitarian and utilitarian deals;
    ``_repr_svg_`` draws the utility space in a notebook."""

    kind = "bargain"

    def _summary(self) -> str:
        d = self.to_dict()
        return f"{len(self.pareto())} state(s) on the Pareto frontier"

    def pareto(self) -> list:
        """The Pareto set, one row per state, each issue's level (a table for pandas)."""
        p = self.to_dict().get("pareto", {})
        return list(p.get("outcomes", []) if isinstance(p, dict) else p)


class Stability(Result):
    """GMCR stability (Nash, GMR, SMR, SEQ) of the listed states."""

    kind = "stability"


class Simulation(Result):
    """A seeded batch of simulated negotiations, summarised."""

    kind = "simulate"

    def _summary(self) -> str:
        d = self.to_dict()
        return f"{d.get('runs')} runs, agreement rate {d.get('agreement_rate')}"


class TimelineReport(Result):
    """The timeline report: every date's zones, clashes, what must give, deal and path."""

    kind = "timeline"

    def _summary(self) -> str:
        return f"{len(self.to_dict().get('snapshots', []))} snapshot(s)"


_KINDS = {
    "zones": Zones,
    "paths": Paths,
    "explain": Explanation,
    "bargain": Bargain,
    "stability": Stability,
    "simulate": Simulation,
    "timeline": TimelineReport,
}


def _frame(text: Optional[str], what: str):
    if text is None:
        raise DealzoneError(f"{what} has no table")
    try:
        import pandas
    except ImportError as e:  # optional: the package itself needs no pandas
        raise ImportError("to_pandas() needs pandas: pip install pandas") from e
    import io

    # Level ids stay text (a level named "1" is not a number).
    frame = pandas.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for column in frame.columns:
        if column.startswith(("utility:", "reservation:")) or column in ("state", "zone", "point", "run", "rounds"):
            frame[column] = pandas.to_numeric(frame[column].replace("", None))
        elif column in ("agreement", "rational"):
            frame[column] = frame[column] == "true"
    return frame


def _wrap(native: Any, scenario: "Scenario") -> Result:
    return _KINDS.get(native.kind, Result)(native, scenario)


@functools.lru_cache(maxsize=8)
def _restore(source: tuple) -> "Scenario":
    """A scenario from how it was loaded (for pickling: a Dask worker loads each scenario
    once, then reuses it)."""
    kind = source[0]
    if kind == "path":
        _, path, at, evidence, time_limit, without = source
        s = load(path, at=at, evidence=evidence, time_limit=time_limit)
    else:
        _, text, name, evidence, time_limit, without = source
        s = loads(text, name=name, evidence=evidence, time_limit=time_limit)
    return s.without(list(without)) if without else s


class Scenario:
    """A scenario compiled once (a scenario file, or one date of a timeline)."""

    def __init__(self, native: Any, source: tuple):
        self._native = native
        self._source = source

    def __reduce__(self):
        # Pickled as how it was loaded: a path is made absolute so a worker finds it.
        return (_restore, (self._source,))

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self._native.name

    @property
    def date(self) -> Optional[str]:
        """The date analysed (ISO), or None for a scenario file."""
        return self._native.date

    @property
    def dates(self) -> list:
        """Every date of the timeline, oldest first (empty for a scenario file)."""
        return self._native.dates

    @property
    def states(self) -> int:
        """The number of states (combinations of levels)."""
        return self._native.states

    @property
    def evidence(self) -> str:
        """The weakest evidence grade admitted."""
        return self._native.evidence

    def __repr__(self) -> str:
        when = f" on {self.date}" if self.date else ""
        return f"<dealzone.Scenario {self.name!r}{when}: {self.states} states, evidence {self.evidence}>"

    def at(self, date: str) -> "Scenario":
        """The same timeline on another date."""
        if self._source[0] != "path":
            raise DealzoneError("only a timeline loaded from a file has other dates")
        _, path, _, evidence, time_limit, without = self._source
        return _restore(("path", path, date, evidence, time_limit, without))

    def without(self, names: Iterable[str]) -> "Scenario":
        """A what-if: the same scenario without the named red lines or preconditions."""
        names = tuple(names)
        src = self._source[:-1] + (tuple(self._source[-1]) + names,)
        return Scenario(self._native.without(list(names)), src)

    def zones(self) -> Zones:
        """The deal zones, or the no-deal proof (``dealzone zones``)."""
        return _wrap(self._native.zones(), self)

    def paths(self, cost: str = "total", blocking_cap: Optional[int] = None) -> Paths:
        """The path into each zone (``dealzone path``); cost ``total``, ``steps`` or ``fair``."""
        return _wrap(self._native.paths(cost, blocking_cap), self)

    def explain(self, max_checks: Optional[int] = None) -> Explanation:
        """Why there is or is not a deal (``dealzone explain``)."""
        return _wrap(self._native.explain(max_checks), self)

    def bargain(self) -> Bargain:
        """Bargaining over the candidates (``dealzone bargain``)."""
        return _wrap(self._native.bargain(), self)

    def stability(self, states: str = "all", feasible: str = "all") -> Stability:
        """GMCR stability (``dealzone stability``); states ``all``/``zone``, feasible
        ``all``/``candidates``."""
        return _wrap(self._native.stability(states, feasible), self)

    def simulate(
        self,
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
    ) -> Simulation:
        """``runs`` seeded runs of the simulator (``dealzone simulate``)."""
        return _wrap(self._native.simulate(runs, seed, rounds, protocol), self)

    def runs_csv(
        self,
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
        path: "Optional[os.PathLike[str] | str]" = None,
    ) -> Optional[str]:
        """Every run's outcome as CSV (``dealzone simulate --format csv``): runs
        ``start .. end`` of the batch (default all); with ``path``, streamed into that file
        (memory stays flat) and None returned."""
        return self._native.runs_csv(
            runs, seed, rounds, protocol, start, end, None if path is None else os.fspath(path)
        )

    def runs(
        self,
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
    ):
        """Every run's outcome as a ``pandas.DataFrame`` (pandas needed)."""
        return _frame(self.runs_csv(runs, seed, rounds, protocol), "the runs")

    def timeline_shard(self, index: int, count: int, samples: int = 200, seed: int = 1) -> str:
        """Shard ``index`` of ``count`` of the timeline report's sweeps: its document."""
        return self._native.timeline_shard(index, count, samples, seed)

    def merge_timeline(self, shards: Sequence[str], samples: int = 200, seed: int = 1) -> "TimelineReport":
        """The timeline report from its sweeps' shards: the same bytes as :meth:`timeline`."""
        return _wrap(self._native.merge_timeline(list(shards), samples, seed), self)

    def simulate_shard(
        self,
        index: int,
        count: int,
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
    ) -> str:
        """Shard ``index`` of ``count`` of the batch: its shard document (JSON text)."""
        return self._native.simulate_shard(index, count, runs, seed, rounds, protocol)

    def merge(
        self,
        shards: Sequence[str],
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
    ) -> Simulation:
        """The batch from its shard documents: the same bytes as :meth:`simulate`."""
        return _wrap(self._native.merge(list(shards), runs, seed, rounds, protocol), self)

    def timeline(self, samples: int = 200, seed: int = 1) -> TimelineReport:
        """The timeline report (``dealzone timeline``) of this scenario's timeline."""
        return _wrap(self._native.timeline(samples, seed), self)


#: The wall-time budget of every analysis, in seconds, as the command line's default.
DEFAULT_TIME_LIMIT = 60.0


def load(
    path: "os.PathLike[str] | str",
    at: Optional[str] = None,
    evidence: Optional[str] = None,
    time_limit: Optional[float] = DEFAULT_TIME_LIMIT,
) -> Scenario:
    """Load a scenario or timeline file; for a timeline, the snapshot on ``at`` (ISO date,
    default the latest), on ``evidence`` (``stated``, ``reported``, ``inferred``) or firmer.

    ``time_limit`` (seconds; None: none) bounds each analysis as ``--time-limit`` does; a
    simulation cut by it is a prefix of its runs (``complete: false``), and so is each shard
    of a sharded one: lift it for batches whose bytes must match."""
    native = _dealzone.load(os.fspath(path), at, evidence, time_limit)
    return Scenario(native, ("path", os.path.abspath(os.fspath(path)), at, evidence, time_limit, ()))


def loads(
    text: str,
    name: str = "<string>",
    evidence: Optional[str] = None,
    time_limit: Optional[float] = DEFAULT_TIME_LIMIT,
) -> Scenario:
    """A scenario from TOML text (``name`` stands for the file in messages)."""
    return Scenario(
        _dealzone.loads(text, name, evidence, time_limit),
        ("text", text, name, evidence, time_limit, ()),
    )
