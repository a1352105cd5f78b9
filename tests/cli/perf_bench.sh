#!/usr/bin/env bash
# The allocation benchmark's peer program (bench/perf/alloc_bench, run by ./scripts/perf
# alloc) on small inputs: every impl it can run here prints one well-formed row, and
# "fill then free all" returns the pool's arenas to the OS while private mode keeps
# them (allocator.md; the seed's per-type pools). No timing is asserted. The bounds
# leave room for sanitizer builds, where the quarantine keeps freed malloc memory.
set -euo pipefail
bench=$1
fail() { echo "FAIL: $*"; exit 1; }
row() { "$bench" "$@" || fail "alloc_bench $* exited $?"; }
check() { # JSON line, impl, case
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY' || fail "bad row for $2 $3: $1"
import json, sys
r = json.loads(sys.argv[1])
assert r["impl"] == sys.argv[2] and r["case"] == sys.argv[3], r
assert r["ns_per_op"] > 0 and r["peak_rss_kib"] > 0, r
PY
}
for impl in pool floor malloc; do
  for c in "churn 2000" "lifo 20000"; do
    check "$(row $impl $c)" "$impl" "${c% *}"
  done
done
check "$(row pool fill-free 200000)" pool fill-free
# Growth kept after freeing everything, as a share of the growth at the peak.
kept() {
  /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1])
print("%.3f" % ((r["rss_after_free_kib"] - r["rss_start_kib"]) / (r["peak_rss_kib"] - r["rss_start_kib"])))' "$1"
}
pool=$(kept "$(row pool fill-free 200000)")
private=$(kept "$(row private fill-free 200000)")
echo "fill 200000 then free all: pool keeps $pool of its growth, private keeps $private"
/usr/bin/python3 -c 'import sys; sys.exit(not (float(sys.argv[1]) < 0.5))' "$pool" ||
  fail "pool kept $pool of its growth after freeing everything (empty arenas must be unmapped)"
/usr/bin/python3 -c 'import sys; sys.exit(not (float(sys.argv[1]) > 0.75))' "$private" ||
  fail "private kept only $private of its growth (its arenas must stay)"
set +e
"$bench" nosuch churn 10 >/dev/null 2>err.txt; rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "unknown impl nosuch" err.txt || fail "unknown impl: exit $rc"
rm -f err.txt
echo "ok"
