#!/usr/bin/env bash
# Run every cargo-fuzz target of fuzz/ for SECONDS each (default 60), one after another,
# and fail if any target crashes, times out (an input slower than 10 s, wall clock) or runs out of
# memory (2 GB). Needs the nightly toolchain and cargo-fuzz:
#
#   rustup toolchain install nightly && cargo install cargo-fuzz
#   scripts/fuzz.sh              # a minute per target
#   scripts/fuzz.sh 600          # ten minutes per target
#   scripts/fuzz.sh 60 zones_diff paths_diff   # only these targets
#
# Not part of .ci/run (nightly-only, and a minute per target is most of the CI budget).
# New inputs go to fuzz/work/TARGET (ignored by git), the committed seeds in
# fuzz/corpus/TARGET are only read; a crashing input lands in fuzz/artifacts/TARGET and
# each target's log in fuzz/logs/TARGET.log. Run it under `nice` on a shared machine.
# libFuzzer's timeout is wall-clock: on a loaded machine replay a reported slow input
# alone (fuzz/README.md) before calling it a hang; FUZZ_TIMEOUT=N changes the 10 s.
set -euo pipefail

secs=${1:-60}
shift || true
cd "$(dirname "$0")/../fuzz"

# -s none: the crate forbids unsafe code, so AddressSanitizer finds little and halves the
# speed; -a: debug assertions and overflow checks on (an overflow is a finding).
flags=(-s none -a)
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build "${flags[@]}" >/dev/null

mkdir -p logs
failed=()
for t in "${targets[@]}"; do
    mkdir -p "work/$t"
    if cargo +nightly fuzz run "${flags[@]}" "$t" "work/$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 \
        >"logs/$t.log" 2>&1; then
        units=$(grep -o 'stat::number_of_executed_units: [0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo '?')
        echo "$t: clean, $units inputs executed in ${secs} s"
    else
        why=$(grep -o 'ERROR: libFuzzer: [a-z-]*\|panicked at [^ ]*' "logs/$t.log" | head -1 || true)
        echo "$t: FAILED (${why:-see log}): fuzz/logs/$t.log, input in fuzz/artifacts/$t/"
        failed+=("$t")
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "failed: ${failed[*]}"
    exit 1
fi
