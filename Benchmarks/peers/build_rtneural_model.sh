#!/usr/bin/env bash
# Builds rtneural_model_bench (RTNeural's run-time Model<float> from JSON, Eigen backend) and
# runs it over a grid, one JSON line per (cell, D, H).
#
#   RTNEURAL_DIR=… ./build_rtneural_model.sh OUTDIR
#
# Environment:
#   RTNEURAL_DIR  RTNeural checkout (RTNeural/RTNeural.h, modules/Eigen, modules/json)   required
#   CXX           default g++;   FLAGS default "-O3 -march=native"
#   CELLS         default "lstm gru";   SIZES default "1:8 8:8 16:16 1:20 20:20 1:32 32:32 1:64 64:64" (D:H)
#   QUICK=1       short runs (sanity only)
# Writes OUTDIR/rtneural_model_bench and OUTDIR/results.jsonl.
set -euo pipefail
OUT=${1:?usage: RTNEURAL_DIR=… $0 OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
: "${RTNEURAL_DIR:?set RTNEURAL_DIR}"
CXX=${CXX:-g++}
FLAGS=${FLAGS:-"-O3 -march=native"}
CELLS=${CELLS:-"lstm gru"}
SIZES=${SIZES:-"1:8 8:8 16:16 1:20 20:20 1:32 32:32 1:64 64:64"}
mkdir -p "$OUT"
# shellcheck disable=SC2086
"$CXX" -std=c++17 $FLAGS -DNDEBUG -DRTNEURAL_USE_EIGEN=1 -DRTNEURAL_DEFAULT_ALIGNMENT=32 \
  -I"$RTNEURAL_DIR" -I"$RTNEURAL_DIR/modules/Eigen" -I"$RTNEURAL_DIR/modules/json" -w \
  "$HERE/rtneural_model_bench.cpp" -o "$OUT/rtneural_model_bench"
: > "$OUT/results.jsonl"
for cell in $CELLS; do
  for dh in $SIZES; do
    "$OUT/rtneural_model_bench" "$cell" "${dh%%:*}" "${dh##*:}" ${QUICK:+--quick} | tee -a "$OUT/results.jsonl"
  done
done
