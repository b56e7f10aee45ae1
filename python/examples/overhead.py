"""The Python call's overhead on `zones()`: `python python/examples/overhead.py [CALLS]
[FILE]` from the repository root prints the mean time per call; compare it with
`cargo run --release --example zones_call -- [CALLS] [FILE]` (the same call from Rust).
Build the package with the same profile as the example (`pip install ./python` builds
release) for a fair comparison."""

import sys
import time

import dealzone

calls = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
path = sys.argv[2] if len(sys.argv) > 2 else "seeds/wage_round.toml"

if __name__ == "__main__":
    s = dealzone.load(path)
    s.zones()  # warm up
    t = time.perf_counter()
    for _ in range(calls):
        s.zones()
    per = (time.perf_counter() - t) / calls
    print(f"{path}: Python zones() {per * 1e3:.4f} ms per call ({calls} calls)")
