#!/bin/sh
# Copies RTNeural's six recurrent test models and their data into this folder, from the pinned
# commit of a clone of https://github.com/jatinchowdhury18/RTNeural (BSD-3-Clause, see LICENSE):
#
#     Tests/Fixtures/rtneural/copy_rtneural_fixtures.sh [/path/to/RTNeural]
#
# Without a path it clones RTNeural into a temporary folder (needs network). The path may be a
# checkout or a bare repository; files are read from the commit below, not the work tree.
# README.md says what each file is and how RTNeural's tests use it.
set -eu
COMMIT=1fb1f075a5d66e85bfc8f488c3f3626840cb3a1d
MODELS="lstm lstm_1d gru gru_1d lstm_torch gru_torch"

here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ge 1 ]; then
    src=$1
else
    src=$(mktemp -d)
    trap 'rm -rf "$src"' EXIT
    git clone --quiet https://github.com/jatinchowdhury18/RTNeural "$src"
fi
git -C "$src" cat-file -e "$COMMIT^{commit}" || { echo "error: $src does not have RTNeural commit $COMMIT" >&2; exit 1; }

git -C "$src" show "$COMMIT:LICENSE" > "$here/LICENSE"
for m in $MODELS; do
    git -C "$src" show "$COMMIT:models/$m.json" > "$here/$m.json"
    for xy in x y; do
        git -C "$src" show "$COMMIT:test_data/${m}_${xy}_python.csv" > "$here/${m}_${xy}_python.csv"
    done
done
echo "copied RTNeural $COMMIT: LICENSE and, for $MODELS, <model>.json, <model>_x_python.csv and <model>_y_python.csv"
