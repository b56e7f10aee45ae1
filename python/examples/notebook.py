# %% [markdown]
# # dealzone in a notebook
# The bundled Russia–Ukraine timeline: the report, the utility space of one date, and a
# sharded simulation on a local Dask cluster. Run from the repository root
# (`python python/examples/notebook.py`), or cell by cell in Jupyter / VS Code.

# %%
import dealzone

timeline = "seeds/russia_ukraine/timeline.toml"
s = dealzone.load(timeline)
print(s, s.dates)

# %% The timeline report (what `dealzone timeline` prints); to_dict() is its --json.
report = s.timeline(samples=50)
print(report.text()[:2000])

# %% One date: zones, or the proof that there is none, and the utility space.
feb24 = s.at("2024-02-08")
z = feb24.zones()
print(repr(z))
if not z.is_deal:
    for r in z.to_dict()["explanation"]["relaxations"][:3]:
        print("relax:", r)
b = feb24.bargain()
with open("utility-2024-02-08.svg", "w") as f:
    f.write(b.svg() or "")       # in a notebook, `b` alone draws it (_repr_svg_)

# %% A table of the Pareto set (pandas if present).
try:
    import pandas as pd

    print(pd.DataFrame(b.pareto()).head())
except ImportError:
    print(b.pareto()[:3])

# %% A sharded simulation on a local Dask cluster: the same bytes as one process.
if __name__ == "__main__":
    from distributed import Client, LocalCluster

    import dealzone.dask

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        sim = dealzone.dask.simulate(s, runs=20_000, seed=1, client=client)
        print(sim.text())
        assert sim.json() == s.simulate(20_000, 1).json()
