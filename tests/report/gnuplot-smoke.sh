#!/bin/bash
# Smoke test of the chart scripts (spec section 6): every scripts/gnuplot/<id>.gp draws its
# fixture tests/report/fixtures/<id>.tsv with the fixed calling convention
#   LC_ALL=C gnuplot -c scripts/gnuplot/<id>.gp DATA.tsv OUT TITLE [svg|png]
# once with the default terminal and once with each explicit terminal, within 30 s, exit 0,
# nothing matching "warning" or "error" on stderr, and a non-empty PNG or SVG as output.
# Every chart id documented in scripts/gnuplot/README.md must have a script and a fixture.
# Usage: gnuplot-smoke.sh REPO_ROOT SCRATCH_DIR     (exit 77 = skipped: gnuplot not installed)
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 REPO_ROOT SCRATCH_DIR" >&2
    exit 2
fi
root=$1
scratch=$2
gpdir=$root/scripts/gnuplot
fixdir=$root/tests/report/fixtures
readme=$gpdir/README.md

if ! command -v gnuplot >/dev/null 2>&1; then
    echo "SKIP: gnuplot is not installed (Debian: apt-get install gnuplot-nox)"
    exit 77
fi
if ! gnuplot --version >/dev/null 2>&1; then
    echo "SKIP: gnuplot is on PATH but does not run"
    exit 77
fi
echo "using $(gnuplot --version)"

mkdir -p "$scratch"
fail=0

# chart ids of the README: headings of the form ### `<id>`
mapfile -t ids < <(sed -n 's/^### `\([a-z0-9-]*\)`.*/\1/p' "$readme")
if [ ${#ids[@]} -eq 0 ]; then
    echo "FAIL README: no chart ids found in $readme"
    exit 1
fi
for id in "${ids[@]}"; do
    [ -f "$gpdir/$id.gp" ] || { echo "FAIL $id: README lists it but $gpdir/$id.gp is missing"; fail=1; }
    [ -f "$fixdir/$id.tsv" ] || { echo "FAIL $id: fixture $fixdir/$id.tsv is missing"; fail=1; }
done

# kind of image in $1: png, svg or empty
image_kind() {
    if [ ! -s "$1" ]; then
        echo ""
    elif [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
        echo png
    elif grep -q '<svg' "$1"; then
        echo svg
    else
        echo ""
    fi
}

nscripts=0
for gp in "$gpdir"/*.gp; do
    [ -e "$gp" ] || continue
    nscripts=$((nscripts + 1))
    id=$(basename "$gp" .gp)
    data=$fixdir/$id.tsv
    if ! printf '%s\n' "${ids[@]}" | grep -qx -- "$id"; then
        echo "FAIL $id: script not documented in README.md"
        fail=1
        continue
    fi
    if [ ! -f "$data" ]; then
        echo "FAIL $id: no fixture"
        fail=1
        continue
    fi
    status=ok
    kinds=""
    for term in default png svg; do
        out=$scratch/$id.$term.out
        err=$scratch/$id.$term.stderr
        rm -f "$out" "$err"
        args=("$gp" "$data" "$out" "Smoke test: $id")
        [ "$term" = default ] || args+=("$term")
        rc=0
        LC_ALL=C timeout 30 gnuplot -c "${args[@]}" >/dev/null 2>"$err" || rc=$?
        if [ "$rc" -ne 0 ]; then
            status="exit $rc ($term): $(head -n 3 "$err" | tr '\n' ' ')"
            break
        fi
        if grep -qiE 'warning|error' "$err"; then
            status="stderr ($term): $(grep -iE 'warning|error' "$err" | head -n 2 | tr '\n' ' ')"
            break
        fi
        kind=$(image_kind "$out")
        if [ -z "$kind" ]; then
            status="output ($term) is empty or neither PNG nor SVG"
            break
        fi
        if [ "$term" != default ] && [ "$kind" != "$term" ]; then
            status="asked for $term, got $kind"
            break
        fi
        kinds="$kinds $term=$kind"
    done
    if [ "$status" = ok ]; then
        printf 'PASS %-17s%s\n' "$id" "$kinds"
    else
        printf 'FAIL %-17s %s\n' "$id" "$status"
        fail=1
    fi
done

if [ "$nscripts" -eq 0 ]; then
    echo "FAIL: no scripts in $gpdir"
    fail=1
fi
if [ "$fail" -ne 0 ]; then
    echo "gnuplot smoke test FAILED"
    exit 1
fi
echo "gnuplot smoke test passed: $nscripts charts"
