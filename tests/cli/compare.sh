#!/usr/bin/env bash
# mmbench compare end to end: a result compared with itself has ratio 1 and is never
# better, worse or negligible on a Welch metric (no-difference, or inconclusive when the
# runs are too noisy for the band); a clearly slower setting is "worse" and --fail-on worse exits 5;
# the JSON output is mmbench/compare/v1 with the contract's row keys; different scenarios
# are refused with exit 2.
set -euo pipefail
mmbench=$(realpath "$1") scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch"; cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
common=(--repeat 5 --warmup 0 --values 1)
"$mmbench" run cycles --param n=60000 "${common[@]}" -o base.json >/dev/null 2>&1
"$mmbench" run cycles --param n=60000 --gc none "${common[@]}" -o off.json >/dev/null 2>&1
"$mmbench" run churn --param ops=50000 "${common[@]}" -o churn.json >/dev/null 2>&1

"$mmbench" compare base.json base.json --json self.json >/dev/null
/usr/bin/python3 - <<'PY' || fail "self comparison"
import json
d = json.load(open("self.json"))
assert d["schema"] == "mmbench/compare/v1", d["schema"]
keys = {"scenario", "metric", "unit", "better", "n_b", "n_c", "median_b", "median_c", "ratio",
        "lo", "hi", "method", "t", "df", "p_welch", "p_mwu", "p_holm", "delta", "verdict", "notes"}
for r in d["rows"]:
    missing = keys - set(r)
    assert not missing, (r["metric"], missing)
    if r["method"] == "welch-log":
        assert r["verdict"] in ("no-difference", "inconclusive"), (r["metric"], r["verdict"])
        assert abs(r["ratio"] - 1) < 1e-9, r["ratio"]
print("self comparison: no Welch row better, worse or negligible")
PY

set +e
# peak RSS: gc none leaks the cycles (tens of MiB), a difference no machine load can hide
"$mmbench" compare base.json off.json --metric peak_rss_bytes --fail-on worse >table.txt
rc=$?
set -e
[ "$rc" -eq 5 ] || fail "--fail-on worse exited $rc: $(cat table.txt)"
grep -q "worse" table.txt || fail "gc none on cycles is not worse in peak RSS: $(cat table.txt)"

set +e
"$mmbench" compare base.json churn.json >/dev/null 2>err.txt
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "different scenarios: exit $rc"
grep -q "not the same scenario" err.txt || fail "message: $(cat err.txt)"
# --paired: runs of one suite, paired by round: a one-sample t on log differences and
# the Wilcoxon signed-rank test (exact: 5 pairs of one sign give p = 2/32).
cat >suite.json <<'JSON'
{"name": "paired", "baseline": "a", "scenarios": [{"name": "cycles", "params": {"n": 30000}}],
 "settings": [{"label": "a"}, {"label": "off", "gc": "none"}],
 "measurement": {"repeat": 5, "warmup": 0, "values": 1}}
JSON
"$mmbench" suite suite.json -o res >/dev/null 2>&1 || fail "paired suite"
"$mmbench" compare res/cycles__a.json res/cycles__off.json --paired --metric peak_rss_bytes \
  --json paired.json >/dev/null || fail "compare --paired"
/usr/bin/python3 - <<'PY' || fail "paired rows"
import json
r = json.load(open("paired.json"))["rows"][0]
assert r["method"] == "paired-log", r
assert r["n_b"] == r["n_c"] == 5 and r["df"] == 4, r
assert r["ratio"] > 1.1 and abs(r["p_mwu"] - 2 / 32) < 1e-12, r
print("paired: ratio %.2f, signed-rank p %.4f, verdict %s" % (r["ratio"], r["p_mwu"], r["verdict"]))
PY
set +e
"$mmbench" compare base.json off.json --paired >/dev/null 2>err.txt
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "same suite run on one host" err.txt || fail "--paired outside a suite: exit $rc"
echo "compare tests passed"
