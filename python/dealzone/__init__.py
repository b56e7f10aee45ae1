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

Tables (a zone's acceptable states, the Pareto set, simulated runs) are :class:`Table`
objects speaking the Arrow PyCapsule interface, read without copies by pyarrow, polars and
pandas::

    import pyarrow
    pyarrow.table(s.zones().table())          # one row per acceptable state
    s.bargain().to_pandas()                   # the Pareto set (through Arrow with pyarrow)
    polars.DataFrame(s.runs_table(10**6, seed=1))   # streamed, 65,536 runs per batch

Every analysis runs with the interpreter released. Errors are :class:`DealzoneError`
with the library's positioned message (``file:line:column``, did-you-mean).
Tournaments (``dealzone tournament``): :func:`tournament`, in shards :func:`tournament_shard`
and :func:`merge_tournament`. Sharded simulations, sweeps and tournaments over Dask:
:mod:`dealzone.dask`.
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
    "Table",
    "Zones",
    "Paths",
    "Explanation",
    "Bargain",
    "Stability",
    "Simulation",
    "TimelineReport",
    "Tournament",
    "load",
    "loads",
    "tournament",
    "tournament_shard",
    "merge_tournament",
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
        acceptable state for zones, per Pareto point for bargaining, per run for a
        simulation), or None."""
        return self._native.csv()

    def table(self, batch_size: Optional[int] = None) -> "Optional[Table]":
        """The result's table (the rows and columns of :meth:`csv`, typed) as an Arrow
        :class:`Table`, or None when the result has none. A simulation's runs stream
        ``batch_size`` runs per record batch (default 65,536)."""
        native = self._native.arrow(batch_size)
        return None if native is None else Table(native, self.csv)

    def to_pandas(self):
        """The result's table as a ``pandas.DataFrame`` (pandas needed): through Arrow when
        pyarrow is installed, else read from :meth:`csv` (the same frame)."""
        t = self.table()
        if t is None:
            raise DealzoneError(f"{type(self).__name__} has no table")
        return t.to_pandas()

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


class Table:
    """A table of results (a zone's acceptable states, the Pareto set, simulated runs) as
    Arrow, through the Arrow PyCapsule interface (``__arrow_c_stream__``,
    ``__arrow_c_schema__``): ``pyarrow.table(t)``, ``polars.DataFrame(t)`` and
    ``pyarrow.RecordBatchReader.from_stream(t)`` import its buffers without copying them.

    Its columns are the CSV table's (docs/CONTRACT.md, "Tables"), in the same order, typed
    by name: ``state``, ``zone``, ``point``, ``run``, ``rounds`` int64; ``utility:PARTY``
    and ``reservation:PARTY`` float64; ``agreement`` and ``rational`` bool; ``solutions``,
    ``rules_fired``, ``events_fired`` and ``not_as_written`` lists of strings (the CSV's
    ``;``-separated cell); every other column (``issue:ID``, ``outcome``, ``walked_out``)
    utf8. An empty CSV cell is a null (an empty list in a list column).

    A runs table is a stream: each read plays its runs again, one record batch at a time
    (the same bytes every time), so memory holds one batch whatever the runs."""

    def __init__(self, native: Any, csv: Any):
        self._native = native
        self._csv = csv

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """A PyCapsule holding an ``ArrowArrayStream`` of the table (a new stream each call;
        ``requested_schema`` is not honoured: the consumer gets the table's own types)."""
        return self._native.__arrow_c_stream__(requested_schema)

    def __arrow_c_schema__(self) -> Any:
        """A PyCapsule holding the table's ``ArrowSchema``."""
        return self._native.__arrow_c_schema__()

    @property
    def columns(self) -> list:
        """``(name, type)`` of each column; type ``int64``, ``float64``, ``bool``,
        ``list<utf8>`` or ``utf8``."""
        return list(self._native.columns)

    @property
    def num_rows(self) -> int:
        """The number of rows (of a runs table: its runs, read or not)."""
        return self._native.rows

    def csv(self) -> str:
        """The same table as CSV text, byte for byte the command's ``--format csv``."""
        return self._csv()

    def to_pandas(self):
        """The table as a ``pandas.DataFrame``: through pyarrow when it is installed, else
        read from :meth:`csv` into the same frame (int64, float64 with NaN for nulls, bool,
        text with None for nulls, a list per cell of a list column)."""
        try:
            import pyarrow
        except ImportError:
            return _frame(self.csv(), self.columns)
        return pyarrow.table(self).to_pandas()

    def __len__(self) -> int:
        return self.num_rows

    def __repr__(self) -> str:
        cols = ", ".join(f"{n}: {t}" for n, t in self.columns)
        return f"<dealzone.Table of {self.num_rows} rows: {cols}>"


def _frame(text: str, columns: list):
    """The pandas frame of a CSV table, typed as its Arrow table is (without pyarrow)."""
    try:
        import pandas
    except ImportError as e:  # optional: the package itself needs no pandas
        raise ImportError("to_pandas() needs pandas: pip install pandas") from e
    import csv
    import io

    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    rows = list(reader)
    data = {}
    for k, (name, kind) in enumerate(columns):
        assert header[k] == name, (header[k], name)
        cells = [r[k] for r in rows]
        if kind == "int64":
            if all(cells):
                data[name] = pandas.array([int(c) for c in cells], dtype="int64")
            else:  # as pyarrow converts an integer column with nulls
                data[name] = pandas.array([float(c) if c else float("nan") for c in cells], dtype="float64")
        elif kind == "float64":
            data[name] = pandas.array([float(c) if c else float("nan") for c in cells], dtype="float64")
        elif kind == "bool":
            if all(cells):
                data[name] = pandas.array([c == "true" for c in cells], dtype="bool")
            else:
                data[name] = pandas.array([(c == "true") if c else None for c in cells], dtype="object")
        elif kind == "list<utf8>":
            data[name] = pandas.Series([c.split(";") if c else [] for c in cells], dtype="object")
        else:
            data[name] = pandas.Series([c if c else None for c in cells], dtype=_text_dtype(pandas))
    return pandas.DataFrame(data, columns=[n for n, _ in columns])


def _text_dtype(pandas) -> str:
    """The dtype pyarrow gives a text column: ``str`` where pandas infers strings (the
    default from pandas 3), else ``object``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "str" if pandas.get_option("future.infer_string") else "object"
        except Exception:  # the option is gone once inferring strings is the only way
            return "str"


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
        opener: Optional[str] = None,
    ) -> Simulation:
        """``runs`` seeded runs of the simulator (``dealzone simulate``). ``opener``: who
        opens each round of alternating offers, ``"first"``, ``"random"`` (drawn per run:
        no finding then depends on the order the parties are written in) or a party id
        (default: the scenario's ``[simulation] opener``)."""
        return _wrap(self._native.simulate(runs, seed, rounds, protocol, opener=opener), self)

    def runs_csv(
        self,
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
        path: "Optional[os.PathLike[str] | str]" = None,
        opener: Optional[str] = None,
    ) -> Optional[str]:
        """Every run's outcome as CSV (``dealzone simulate --format csv``): runs
        ``start .. end`` of the batch (default all); with ``path``, streamed into that file
        (memory stays flat) and None returned."""
        return self._native.runs_csv(
            runs,
            seed,
            rounds,
            protocol,
            start,
            end,
            None if path is None else os.fspath(path),
            opener=opener,
        )

    def runs_table(
        self,
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
        start: Optional[int] = None,
        end: Optional[int] = None,
        batch_size: Optional[int] = None,
        opener: Optional[str] = None,
    ) -> Table:
        """Every run's outcome (runs ``start .. end`` of the batch, default all) as an Arrow
        :class:`Table` streamed in record batches of ``batch_size`` runs (default 65,536),
        each played when it is read: the columns of :meth:`runs_csv`, typed. The scenario's
        ``time_limit`` bounds the time spent playing the runs (not the reader's own time
        between batches); past it, the reader gets the runs played in time, then an error
        naming ``time_limit``."""
        native = self._native.runs_arrow(
            runs, seed, rounds, protocol, start, end, batch_size, opener=opener
        )
        return Table(
            native,
            lambda: self.runs_csv(runs, seed, rounds, protocol, start, end, opener=opener),
        )

    def runs(
        self,
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
        opener: Optional[str] = None,
    ):
        """Every run's outcome as a ``pandas.DataFrame`` (pandas needed; through Arrow when
        pyarrow is installed)."""
        return self.runs_table(runs, seed, rounds, protocol, opener=opener).to_pandas()

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
        opener: Optional[str] = None,
    ) -> str:
        """Shard ``index`` of ``count`` of the batch: its shard document (JSON text)."""
        return self._native.simulate_shard(
            index, count, runs, seed, rounds, protocol, opener=opener
        )

    def merge(
        self,
        shards: Sequence[str],
        runs: int = 1000,
        seed: int = 0,
        rounds: Optional[int] = None,
        protocol: Optional[str] = None,
        opener: Optional[str] = None,
    ) -> Simulation:
        """The batch from its shard documents: the same bytes as :meth:`simulate`."""
        return _wrap(
            self._native.merge(list(shards), runs, seed, rounds, protocol, opener=opener), self
        )

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


class Tournament:
    """A tournament's results: ``csv()`` is its results table, byte for byte the file
    ``dealzone tournament SPEC --out FILE`` writes; ``to_dict()`` is the scores document
    that command prints with ``--json``."""

    def __init__(self, table: str, scores: str):
        self._table = table
        self._scores = scores

    def csv(self) -> str:
        """The results table (one row per match, in match order) as CSV text."""
        return self._table

    def json(self) -> str:
        """The scores document as JSON text."""
        return self._scores

    def to_dict(self) -> dict:
        """The scores document (``matches``, ``requested``, ``complete``, ``by_tactic``,
        ``by_scenario``) as a dict."""
        return json.loads(self._scores)

    def to_pandas(self):
        """The results table as a ``pandas.DataFrame`` (read from :meth:`csv`)."""
        import io

        try:
            import pandas
        except ImportError as e:  # optional: the package itself needs no pandas
            raise ImportError("to_pandas() needs pandas: pip install pandas") from e
        return pandas.read_csv(io.StringIO(self._table))

    def __repr__(self) -> str:
        d = self.to_dict()
        return f"<dealzone.Tournament: {d['matches']} of {d['requested']} matches>"


def tournament(
    spec_path: "os.PathLike[str] | str", time_limit: Optional[float] = DEFAULT_TIME_LIMIT
) -> Tournament:
    """Play the tournament of a spec file (``dealzone tournament SPEC``): every line-up of
    its tactics on every scenario, repeated. ``time_limit`` (seconds; None: none) bounds the
    whole tournament; one it stops is a prefix of the matches (``complete`` false)."""
    return Tournament(*_dealzone.tournament(os.fspath(spec_path), time_limit))


def tournament_shard(
    spec_path: "os.PathLike[str] | str",
    index: int,
    count: int,
    time_limit: Optional[float] = None,
    out: "os.PathLike[str] | str | None" = None,
) -> str:
    """Shard ``index`` of ``count`` of a tournament (``dealzone tournament SPEC --shard
    I/N --out OUT``): matches ``⌊i·M/N⌋ .. ⌊(i+1)·M/N⌋`` of its ``M``, as its shard table
    (text: a ``#`` header line naming the tournament, the seed, ``I`` and ``N``, then the
    rows). The header names the spec as a table written to ``out`` would (relative to its
    folder when the spec lies in it); by default a table kept in the spec's own folder."""
    return _dealzone.tournament_shard(
        os.fspath(spec_path), index, count, time_limit, None if out is None else os.fspath(out)
    )


def merge_tournament(
    spec_path: "os.PathLike[str] | str",
    shards: Sequence[str],
    time_limit: Optional[float] = None,
) -> Tournament:
    """The tournament from its ``N`` shard tables, in any order: the same bytes as
    :func:`tournament`. Shards of another spec, seed or ``N``, a missing, repeated or
    unfinished shard raise :class:`DealzoneError` naming it."""
    return Tournament(*_dealzone.merge_tournament(os.fspath(spec_path), list(shards), time_limit))
