#!/usr/bin/env bash
# Runs libFuzzer targets under AddressSanitizer, each for a fixed number of inputs.
#
#   Fuzz/run.sh [RUNS] [TARGET[=RUNS] ...]     defaults: 500000 inputs (about a minute), target safetensors
#
# Builds the CellForge library and the harness FuzzTarget.swift once with swiftc into
# Fuzz/.build (-sanitize=fuzzer,address; the harness with -parse-as-library, so libFuzzer's
# main is the entry point), without SwiftPM, whose fuzzer builds of path dependencies were
# unreliable; then runs each TARGET in turn, for its own =RUNS if given, else RUNS.
# A TARGET is a case of FuzzTarget (FuzzTarget.swift): safetensors, checkpoint, model,
# model-checkpoint, …
# Seeds come from corpus/TARGET (corpus/safetensors if that folder does not exist); inputs the
# fuzzer finds interesting go to a temporary folder, so the committed corpus does not change.
# A crashing input is saved as Fuzz/artifacts/crash-…: add it to the target's regression
# tests. Each target prints "fuzz TARGET: N inputs run, exit status S"; the script stops at
# the first target that fails. To fuzz for longer, pass a larger RUNS, or -1 for no limit
# (stop with Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")"
runs=500000
if [[ $# -gt 0 && $1 =~ ^-?[0-9]+$ ]]; then runs=$1; shift; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(safetensors)
build=.build
mkdir -p "$build"
flags=(-O -g -sanitize=fuzzer,address)
swiftc -emit-library -static -parse-as-library -module-name CellForge -package-name CellForge "${flags[@]}" \
    -emit-module -emit-module-path "$build/CellForge.swiftmodule" \
    $(find ../Sources/CellForge -name '*.swift' | sort) -o "$build/libCellForge.a"
swiftc -parse-as-library -package-name CellForge "${flags[@]}" -I "$build" -L "$build" -lCellForge FuzzTarget.swift -o "$build/cellforge-fuzz" \
    2>&1 | { grep -v "Cannot export local symbol" || true; }
mkdir -p artifacts
for spec in "${targets[@]}"; do
    target=${spec%%=*}
    count=$runs
    [[ $spec == *=* ]] && count=${spec#*=}
    seeds=corpus/$target
    [ -d "$seeds" ] || seeds=corpus/safetensors
    work=$(mktemp -d)     # new inputs the fuzzer finds
    log=$(mktemp)
    status=0
    CELLFORGE_FUZZ_TARGET=$target \
        "$build/cellforge-fuzz" -runs="$count" -artifact_prefix=artifacts/ -print_final_stats=1 "$work" "$seeds" \
        > "$log" 2>&1 || status=$?
    grep -E "^Done|stat::number_of_executed_units|ERROR|SUMMARY|panic|Fatal error" "$log" || true
    executed=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo "?")
    echo "fuzz $target: $executed inputs run, exit status $status"
    if [ "$status" -ne 0 ]; then tail -40 "$log"; rm -rf "$work" "$log"; exit "$status"; fi
    rm -rf "$work" "$log"
done
