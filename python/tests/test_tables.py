"""Tables (CSV text and pandas frames), pictures, and the timeline's sweeps in shards:
each equal to the command line's output."""

import csv
import io

import pytest

import dealzone

WAGE = "seeds/wage_round.toml"
SUPPLIER = "seeds/supplier_contract.toml"
TIMELINE = "seeds/russia_ukraine/timeline.toml"
GRADED = "tests/fixtures/valid/graded_timeline.toml"


@pytest.mark.parametrize("f", [WAGE, SUPPLIER])
def test_tables_are_the_cli_tables(cli, f):
    s = dealzone.load(f)
    assert s.zones().csv() == cli.text("zones", f, "--format", "csv")
    assert s.bargain().csv() == cli.text("bargain", f, "--format", "csv")
    runs = cli.text("simulate", f, "--runs", "300", "--seed", "4", "--format", "csv")
    assert s.runs_csv(300, 4) == runs
    # A range of the batch is its rows, after the same header.
    head, *rows = runs.splitlines(keepends=True)
    assert s.runs_csv(300, 4, start=100, end=180) == head + "".join(rows[100:180])
    # One row per acceptable state, per Pareto point.
    states = list(csv.DictReader(io.StringIO(s.zones().csv())))
    assert len(states) == s.zones().to_dict()["acceptable"]
    assert len(list(csv.DictReader(io.StringIO(s.bargain().csv())))) == s.bargain().to_dict()["pareto"]["count"]


def test_runs_stream_into_a_file(tmp_path, cli):
    s = dealzone.load(WAGE)
    out = tmp_path / "runs.csv"
    assert s.runs_csv(500, 2, path=out) is None
    assert out.read_text() == cli.text("simulate", WAGE, "--runs", "500", "--seed", "2", "--format", "csv")


def test_results_without_a_table_say_so():
    s = dealzone.load(WAGE)
    assert s.explain().csv() is None
    with pytest.raises(dealzone.DealzoneError, match="no table"):
        s.explain().to_pandas()


def test_to_pandas_reads_the_tables():
    pandas = pytest.importorskip("pandas")
    s = dealzone.load(WAGE)
    z = s.zones().to_pandas()
    assert isinstance(z, pandas.DataFrame)
    assert len(z) == s.zones().to_dict()["acceptable"]
    assert z["utility:union"].dtype.kind == "f"
    b = s.bargain().to_pandas()
    assert b["rational"].dtype == bool
    runs = s.runs(200, 1)
    assert len(runs) == 200 and list(runs["run"]) == list(range(200))
    assert runs["agreement"].sum() == s.simulate(200, 1).to_dict()["agreements"]


def test_pictures_of_zones_and_the_timeline():
    s = dealzone.load(WAGE)
    assert s.zones()._repr_svg_().startswith("<svg")
    assert s.zones().svg() == s.bargain().svg()
    t = dealzone.load(GRADED).timeline(samples=5)
    assert t._repr_svg_().startswith("<svg")


@pytest.mark.parametrize("n", [1, 2, 7])
def test_sweep_shards_merge_into_the_report(cli, n):
    s = dealzone.load(GRADED, time_limit=None)
    docs = [s.timeline_shard(i, n, samples=40, seed=2) for i in range(n)]
    merged = s.merge_timeline(docs[::-1], samples=40, seed=2)
    whole = s.timeline(samples=40, seed=2)
    assert merged.text() == whole.text()
    assert merged.to_dict() == cli.json("timeline", GRADED, "--samples", "40", "--seed", "2")


def test_the_bundled_timeline_with_its_full_default_sweep_equals_the_cli(cli):
    # The default report: 200 samples per sweep, seed 1, every date twice (all evidence,
    # stated alone).
    r = dealzone.load(TIMELINE, time_limit=None).timeline()
    assert r.to_dict() == cli.json("timeline", TIMELINE)
    assert r.text() == cli.text("timeline", TIMELINE)
