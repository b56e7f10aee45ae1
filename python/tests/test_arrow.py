"""Tables as Arrow (the PyCapsule interface): for every bundled scenario and date, the
zones', bargaining's and runs' Arrow tables hold the command line's CSV table (same
columns, typed as docs/CONTRACT.md says, same values), streamed in record batches."""

import csv
import io
import math

import pytest

import dealzone

pyarrow = pytest.importorskip("pyarrow")

SCENARIOS = ["seeds/wage_round.toml", "seeds/supplier_contract.toml"]
TIMELINE = "seeds/russia_ukraine/timeline.toml"
WAGE = SCENARIOS[0]
TARGETS = [(f, None) for f in SCENARIOS] + [(TIMELINE, d) for d in dealzone.load(TIMELINE).dates]
IDS = [f"{f.split('/')[-1]}@{d}" if d else f.split("/")[-1] for f, d in TARGETS]

# The documented types (docs/CONTRACT.md "Tables", python docs), written out here rather
# than read from the package, so a change of type fails.
INTS = {"state", "zone", "point", "run", "rounds"}
BOOLS = {"agreement", "rational"}
LISTS = {"solutions", "rules_fired", "events_fired", "not_as_written"}


def _type(name):
    if name in INTS:
        return pyarrow.int64()
    if name in BOOLS:
        return pyarrow.bool_()
    if name in LISTS:
        return pyarrow.list_(pyarrow.string())
    if name.startswith(("utility:", "reservation:")):
        return pyarrow.float64()
    return pyarrow.string()


def _value(name, cell):
    if name in LISTS:
        return cell.split(";") if cell else []
    if cell == "":
        return None
    if name in INTS:
        return int(cell)
    if name in BOOLS:
        assert cell in ("true", "false")
        return cell == "true"
    if name.startswith(("utility:", "reservation:")):
        return float(cell)
    return cell


def assert_table_is_csv(table, text):
    """The Arrow table holds the CSV table: its columns in order, their documented types,
    and every cell."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    rows = list(reader)
    assert table.column_names == header
    assert [f.type for f in table.schema] == [_type(n) for n in header]
    assert table.num_rows == len(rows)
    for k, name in enumerate(header):
        assert table.column(name).to_pylist() == [_value(name, r[k]) for r in rows], name


def _at(d):
    return ["--at", d] if d else []


@pytest.mark.parametrize("f,d", TARGETS, ids=IDS)
def test_arrow_tables_are_the_cli_tables(cli, f, d):
    s = dealzone.load(f, at=d)
    z = s.zones().table()
    assert_table_is_csv(pyarrow.table(z), cli.text("zones", f, *_at(d), "--format", "csv"))
    b = s.bargain().table()
    assert_table_is_csv(pyarrow.table(b), cli.text("bargain", f, *_at(d), "--format", "csv"))
    runs = cli.text("simulate", f, *_at(d), "--runs", "150", "--seed", "3", "--format", "csv")
    assert_table_is_csv(pyarrow.table(s.runs_table(150, 3, batch_size=40)), runs)
    assert_table_is_csv(pyarrow.table(s.simulate(150, 3).table()), runs)
    assert len(s.zones().table()) == s.zones().to_dict()["acceptable"]


def test_the_runs_stream_in_batches():
    s = dealzone.load(WAGE)
    t = s.runs_table(1000, 7, batch_size=300)
    assert t.num_rows == 1000
    batches = list(pyarrow.RecordBatchReader.from_stream(t))
    assert [b.num_rows for b in batches] == [300, 300, 300, 100]
    assert [b.column("run")[0].as_py() for b in batches] == [0, 300, 600, 900]
    # Read again (a new stream), in other batch sizes: the same table.
    whole = pyarrow.table(s.runs_table(1000, 7))
    assert whole.to_batches()[0].num_rows == 1000
    assert pyarrow.Table.from_batches(batches).equals(whole)
    assert pyarrow.table(t).equals(whole)
    # A range of the batch is its rows.
    part = pyarrow.table(s.runs_table(1000, 7, start=250, end=610, batch_size=100))
    assert part.equals(whole.slice(250, 360))
    assert pyarrow.table(s.runs_table(1000, 7, start=5, end=5)).num_rows == 0


def test_a_stream_read_past_its_time_limit_fails_naming_it():
    s = dealzone.load(WAGE, time_limit=0.0)
    t = s.runs_table(5000, 1, batch_size=1000)
    with pytest.raises(pyarrow.ArrowException, match="time_limit"):
        pyarrow.table(t)


def test_the_readers_own_time_between_batches_does_not_count():
    import time

    # 0.6 s of budget; the reader sleeps 0.25 s after each of 4 batches of 25 runs (played
    # in milliseconds), 1 s in all: only the playing counts, so the stream completes.
    s = dealzone.load(WAGE, time_limit=0.6)
    rows = 0
    for batch in pyarrow.RecordBatchReader.from_stream(s.runs_table(100, 1, batch_size=25)):
        rows += batch.num_rows
        time.sleep(0.25)
    assert rows == 100


def test_the_schema_capsule_and_the_columns():
    s = dealzone.load(WAGE)
    t = s.bargain().table()
    schema = pyarrow.schema(t)
    assert schema.names == [n for n, _ in t.columns]
    assert schema.field("rational").type == pyarrow.bool_()
    assert dict(t.columns)["solutions"] == "list<utf8>"
    assert "rows" in repr(t)
    assert s.explain().table() is None
    with pytest.raises(ValueError, match="batch_size"):
        s.runs_table(10, 1, batch_size=0)


def test_polars_reads_the_tables():
    polars = pytest.importorskip("polars")
    s = dealzone.load(WAGE)
    frame = polars.DataFrame(s.runs_table(500, 2, batch_size=128))
    whole = pyarrow.table(s.runs_table(500, 2))
    assert frame.height == 500
    assert frame["run"].to_list() == list(range(500))
    assert frame["agreement"].dtype == polars.Boolean
    assert frame.to_arrow().column("rules_fired").to_pylist() == whole.column("rules_fired").to_pylist()
    z = polars.DataFrame(s.zones().table())
    assert z.columns == [n for n, _ in s.zones().table().columns]


def _cells(frame):
    """A frame's cells, lists as lists and NaN as None (to compare two frames)."""

    def cell(x):
        if isinstance(x, float) and math.isnan(x):
            return None
        if hasattr(x, "tolist") and not isinstance(x, (str, bytes)):
            return list(x.tolist())
        if isinstance(x, list):
            return x
        return x if x is None or isinstance(x, (str, bool, int, float)) else x.item()

    return {c: [cell(x) for x in frame[c]] for c in frame.columns}


def test_to_pandas_through_arrow_equals_the_csv_route():
    pandas = pytest.importorskip("pandas")
    s = dealzone.load(WAGE)
    for t in (s.zones().table(), s.bargain().table(), s.runs_table(400, 5, batch_size=64)):
        via_arrow = t.to_pandas()
        via_csv = dealzone._frame(t.csv(), t.columns)
        assert list(via_arrow.columns) == list(via_csv.columns)
        assert [str(x) for x in via_arrow.dtypes] == [str(x) for x in via_csv.dtypes]
        assert _cells(via_arrow) == _cells(via_csv)
        assert isinstance(via_arrow, pandas.DataFrame)


def test_every_result_with_a_picture_shows_it_in_a_notebook():
    # The pictures the command line draws (`bargain --svg`, `timeline --svg`) and the zones'
    # utility space; stability has none to match (the command line draws no stability).
    s = dealzone.load(WAGE)
    results = {
        "zones": s.zones(),
        "paths": s.paths(),
        "explain": s.explain(),
        "bargain": s.bargain(),
        "stability": s.stability(states="zone"),
        "simulate": s.simulate(50, 1),
        "timeline": s.timeline(samples=5),
    }
    drawn = {k for k, r in results.items() if r.svg() is not None}
    assert drawn == {"zones", "bargain", "timeline"}
    for k, r in results.items():
        assert r._repr_svg_() == r.svg(), k
