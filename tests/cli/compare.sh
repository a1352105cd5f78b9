#!/usr/bin/env bash
# mmbench compare end to end: a result compared with itself has ratio 1 and is never
# better, worse or negligible on a Welch metric (no-difference, or inconclusive when the
# runs are too noisy for the band); a clearly slower setting is "worse" and --fail-on worse exits 5;
# the JSON output is mmbench/compare/v1 with the contract's row keys; different scenarios
# are refused with exit 2. Display: no "nan" in the table or --md, difference rows show
# their difference CI, inconclusive rows the runs needed, the Holm line ~0.05 x N exactly.
# Suite index (4.6) on two small suites: the geometric mean of the rows' ratios, its
# bootstrap CI within them, difference rows left out, reproducible.
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

# Display. One metric: the Holm line says ~0.05 (0.05 x 1), not ~0.1. A band of 0.01% on
# a self comparison of wall time: CI around 1, wider than the band -> inconclusive with
# the runs per side that would decide it, in the table as in the JSON.
"$mmbench" compare base.json base.json --metric wall_ns_per_loop \
  --min-effect wall_ns_per_loop=0.0001 --json inc.json >inc.txt
grep -q "~0.05 expected by chance" inc.txt || fail "Holm line: $(tail -1 inc.txt)"
need=$(/usr/bin/python3 -c 'import json; print(json.load(open("inc.json"))["rows"][0]["runs_needed"])')
grep -q "inconclusive (needs ~$need runs a side)" inc.txt || fail "runs needed: $(cat inc.txt)"

# Suite index: two runs of one small suite (5 scenarios x 2 settings), compared by
# directory. repeat 2 keeps it fast: the verdicts are insufficient-data, the ratios exist.
cat >small.json <<'JSON'
{"name": "small", "baseline": "a",
 "scenarios": [{"name": "churn", "params": {"ops": 20000}}, {"name": "cycles", "params": {"n": 20000}},
               {"name": "trees", "params": {"depth": 8}}, {"name": "generators", "params": {"n": 5000}},
               {"name": "typepools", "params": {"n": 20000}}],
 "settings": [{"label": "a"}, {"label": "off", "gc": "none"}],
 "measurement": {"repeat": 2, "warmup": 0, "values": 1}}
JSON
"$mmbench" suite small.json -o s1 >/dev/null 2>&1 || fail "small suite 1"
"$mmbench" suite small.json -o s2 >/dev/null 2>&1 || fail "small suite 2"
"$mmbench" compare s1 s2 --json idx.json --md idx.md >idx.txt || fail "compare s1 s2"
"$mmbench" compare s1 s2 --json idx2.json >/dev/null
cmp -s idx.json idx2.json || fail "compare output is not reproducible"
grep -q "^Suite index: geometric mean" idx.txt || fail "no suite index in the table"
grep -q "^## Suite index" idx.md || fail "no suite index in --md"
! grep -qiw nan idx.txt idx.md || fail "nan printed: $(grep -iw nan idx.txt idx.md | head -3)"
/usr/bin/python3 - <<'PY' || fail "suite index"
import json, math
d = json.load(open("idx.json"))
rows, index = d["rows"], d["index"]
def enters(r):  # ratios of positive values; differences of values with 0 never
    return (r["verdict"] != "not-comparable" and isinstance(r["ratio"], float) and r["ratio"] > 0
            and (r["method"] != "diff" or "deterministic" in r["notes"]))
groups = {}
for r in rows:
    groups.setdefault((r["baseline"], r["candidate"], r["metric"]), []).append(r)
assert len(index) == len(groups) == 2 * 9, (len(index), len(groups))
with_ci = 0
for x in index:
    g = groups[(x["baseline"], x["candidate"], x["metric"])]
    use = [r["ratio"] for r in g if enters(r)]
    assert x["n_scenarios"] == len(use), x
    assert x["excluded"] == [r["scenario"] for r in g if not enters(r)], x
    assert x["resamples"] == 10000 and "verdict" not in x, x
    if len(use) < 2:
        assert x["geomean"] is None and x["lo"] is None, x
        continue
    gm = math.exp(sum(math.log(v) for v in use) / len(use))
    assert abs(x["geomean"] - gm) <= 1e-9 * gm, (x, gm)
    if len(use) < 5:
        assert x["lo"] is None and x["hi"] is None, x
        continue
    # resampled geometric means of these ratios lie between their min and max
    assert min(use) <= x["lo"] <= x["geomean"] <= x["hi"] <= max(use), (x, use)
    with_ci += 1
assert with_ci >= 4, with_ci  # wall, cpu, peak RSS, throughput of both settings at least
# Difference rows in --md: their own difference CI (lo = hi = the difference when
# deterministic), never ratio-style bounds.
md = {tuple(c.strip() for c in l.strip("|\n").split("|")[:4]): l.split("|")[7].strip()
      for l in open("idx.md") if l.startswith("| ") and l.count("|") == 9}
for r in rows:
    if r["method"] != "diff" or r["difference"] is None:
        continue
    lo, hi = (r["difference"],) * 2 if "deterministic" in r["notes"] else (r["lo"], r["hi"])
    want = "diff %+.4g " % r["difference"] + (
        "[%+.4g, %+.4g]" % (lo, hi) if lo is not None and hi is not None else "[no CI]")
    got = md[(r["scenario"], r["baseline"], r["candidate"], r["metric"])]
    assert got == want, (r["scenario"], r["metric"], got, want)
print("suite index: %d groups, %d with a CI" % (len(index), with_ci))
PY
"$mmbench" compare base.json off.json --json one.json >/dev/null
/usr/bin/python3 -c 'import json; assert json.load(open("one.json"))["index"] == []' ||
  fail "an index over one scenario"
echo "compare tests passed"
