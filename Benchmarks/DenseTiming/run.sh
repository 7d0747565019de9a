#!/usr/bin/env bash
# Builds the CellForge library and main.swift with swiftc -O (plus any extra swiftc flags given,
# e.g. -target-cpu native -DCELLFORGE_FMA) into Benchmarks/DenseTiming/.build and runs it;
# with Benchmarks/peers/malloc_count.c preloaded it also counts allocations.
#   Benchmarks/DenseTiming/run.sh [SWIFTC FLAGS...]
set -euo pipefail
cd "$(dirname "$0")"
build=.build/$(echo "O $*" | tr -c 'A-Za-z0-9_\n' '_')
mkdir -p "$build"
swiftc -emit-library -static -parse-as-library -module-name CellForge -package-name CellForge -O -wmo "$@" \
    -emit-module -emit-module-path "$build/CellForge.swiftmodule" \
    $(find ../../Sources/CellForge -name '*.swift' | sort) -o "$build/libCellForge.a"
swiftc -O "$@" -I "$build" -L "$build" -lCellForge main.swift -o "$build/dense-timing" \
    2>&1 | { grep -v "Cannot export local symbol" || true; }
gcc -O2 -shared -fPIC -o "$build/libmalloc_count.so" ../peers/malloc_count.c
LD_PRELOAD="$PWD/$build/libmalloc_count.so" "$build/dense-timing"
