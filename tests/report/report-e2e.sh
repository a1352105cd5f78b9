#!/usr/bin/env bash
# The report end to end (results-and-reports.md 8.4.6, issue 8.7): a small suite, then
# `mmbench report`: every file present, no external reference, every chart non-empty and
# referenced, every in-page link and finding link resolves (7.1), the finding rules hold
# on every setting (7.2, check-findings.py), byte-identical on a second run, a working
# report without gnuplot (banner, tables, exit 0; --require-charts exits 3 and writes
# nothing), the size warning (7.3), SIGINT/SIGTERM leave nothing behind (8.3,
# report-signal.sh), and Debian's headless Chromium loads it with no console error or
# broken image.
#
# usage: report-e2e.sh MMBENCH REPO_ROOT SCRATCH
set -euo pipefail
mmbench=$(realpath "$1") root=$(realpath "$2") scratch=$3
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

cat >suite.json <<'EOF'
{"schema": "mmbench/suite/v1", "name": "e2e", "baseline": "base",
 "scenarios": [{"name": "trees", "params": {"depth": 10, "longlived": 10}},
               {"name": "typepools", "params": {"n": 100000}}],
 "settings": [{"label": "base"}, {"label": "young-big", "threshold": [5000, 10, 10]},
              {"label": "private", "alloc": "private"}],
 "sweeps": [{"name": "sw", "scenario": "trees",
             "knobs": {"threshold0": [300, 3000], "threshold1": [5, 20]}}],
 "measurement": {"repeat": 5, "warmup": 0, "values": 1}}
EOF
"$mmbench" suite suite.json -o res >suite.out 2>suite.err || fail "suite: $(tail -3 suite.err)"
[ -f res/claims.json ] || fail "the suite wrote no claims.json"

"$mmbench" report res -o rep >rep.out 2>rep.err || fail "report: $(tail -3 rep.err)"
for f in index.html report.md findings.json compare.json; do
  [ -s "rep/$f" ] || fail "rep/$f missing or empty"
done

# compare.json carries the suite index (4.6): per candidate and metric, the geometric
# mean of the ratios of the rows that enter it, as the page shows.
/usr/bin/python3 - rep/compare.json <<'PY' || fail "compare.json: suite index"
import json, math, sys
doc = json.load(open(sys.argv[1]))
assert doc["baseline"] == "base" and sorted(doc["candidate"]) == sorted(
    {r["candidate"] for r in doc["rows"]}) and isinstance(doc["warnings"], list), \
    "compare.json lacks compare/v1's baseline, candidate or warnings (4.9)"
index = doc["index"]
assert any(e["geomean"] for e in index), "no suite index in compare.json"
for e in index:
    rows = [r for r in doc["rows"] if (r["baseline"], r["candidate"], r["metric"]) ==
            (e["baseline"], e["candidate"], e["metric"]) and r["scenario"] not in e["excluded"]]
    assert len(rows) == e["n_scenarios"], (e, len(rows))
    if len(rows) < 2:  # an index needs two scenarios
        assert e["geomean"] is None, e
        continue
    gm = math.exp(sum(math.log(r["ratio"]) for r in rows) / len(rows))
    assert abs(gm - e["geomean"]) < 1e-9 * gm, (e, gm)
PY
grep -q 'id="suite-index"' rep/index.html || fail "index.html has no suite index"

# No external references (7.3).
if grep -Eo 'https?://|src="/|<script src|@import|url\((["'"'"']?)[^d"'"'"']' rep/index.html | head -3 | grep -q .; then
  fail "index.html references something outside itself: $(grep -Eo 'https?://[^" ]*|src="/[^"]*|<script src|@import' rep/index.html | head -3)"
fi
grep -q '<svg' rep/index.html && fail "index.html inlines <svg> (charts must be <img>)"

# Every chart image is non-empty and referenced (by the Markdown twin, and embedded once
# in the HTML as a data: image).
images=$(find rep/plots -name '*.svg' -o -name '*.png' | wc -l)
[ "$images" -gt 20 ] || fail "only $images chart images"
for img in rep/plots/*.svg rep/plots/*.png; do
  [ -e "$img" ] || continue
  [ -s "$img" ] || fail "$img is empty"
  grep -q "plots/$(basename "$img")" rep/report.md || fail "$img not referenced by report.md"
done
embedded=$(grep -o 'src="data:image/' rep/index.html | wc -l)
[ "$embedded" -eq "$images" ] || fail "$embedded embedded images for $images image files"
for tsv in rep/data/*.tsv; do
  grep -q "$(basename "$tsv")" rep/index.html || fail "$tsv not linked from index.html"
done

# Every href="#..." has its id="..."; every finding links to an anchor of the page; the
# embedded (compacted) SVGs draw what plots/ has.
/usr/bin/python3 "$root/tests/report/check-page.py" rep || fail "check-page.py rep"
# The finding rules on every setting, on these results and on a doctored copy.
/usr/bin/python3 "$root/tests/report/check-findings.py" "$mmbench" res rep "$scratch" ||
  fail "check-findings.py"

# The stored summary is a cache (2.1): a doctored median in it never reaches the page.
cp -r res res-doctored
/usr/bin/python3 - res-doctored <<'PY' || fail "cannot doctor a summary"
import glob, json, sys
path = sorted(glob.glob(sys.argv[1] + "/trees__base.json"))[0]
doc = json.load(open(path))
doc["summary"]["metrics"]["wall_ns_per_loop"]["median"] = 987654321.0
json.dump(doc, open(path, "w"))
PY
"$mmbench" report res-doctored -o rep-doctored >/dev/null 2>&1 || fail "report of res-doctored"
grep -q '987\.65' rep-doctored/index.html && fail "the page shows a stored (doctored) summary"

# Size (7.3): no warning on this small report; one on stderr above the limit.
grep -q 'MiB, above' rep.err && fail "size warning for a small report: $(cat rep.err)"
MMBENCH_REPORT_WARN_BYTES=1000 "$mmbench" report res -o rep-size >/dev/null 2>size.err ||
  fail "report with a low size limit failed"
grep -q '^mmbench: warning: rep-size/index.html is [0-9.]* MiB, above' size.err ||
  fail "no size warning above the limit: $(cat size.err)"

# Sections in the contract's order, and seed claims shown.
order=$(grep -o '<h2 id="[a-z]*"' rep/index.html | sed 's/.*id="//; s/"//' | tr '\n' ' ')
[ "$order" = "summary findings claims charts comparisons environment raw " ] ||
  fail "sections: $order"
grep -q 'Seed claims' rep/report.md || fail "report.md has no Seed claims section"

# Byte-identical on a second run.
"$mmbench" report res -o rep2 >/dev/null 2>&1 || fail "second report failed"
diff -r rep rep2 >/dev/null || fail "two reports of the same files differ: $(diff -rq rep rep2 | head -3)"

# Without gnuplot: tables, a banner, exit 0; --require-charts: exit 3, nothing written.
nognu=$scratch/nognu-bin
mkdir -p "$nognu"
for tool in sh bash rm cat; do ln -sf "$(command -v $tool)" "$nognu/$tool"; done
PATH=$nognu "$mmbench" report res -o rep-nognu >/dev/null 2>nognu.err || fail "report without gnuplot failed"
grep -q 'Charts were not drawn: gnuplot 5 not found' rep-nognu/index.html || fail "no banner"
grep -q '<table>' rep-nognu/index.html || fail "no tables without gnuplot"
/usr/bin/python3 "$root/tests/report/check-page.py" rep-nognu || fail "check-page.py rep-nognu"
set +e
PATH=$nognu "$mmbench" report res -o rep-req --require-charts >/dev/null 2>req.err
rc=$?
set -e
[ "$rc" -eq 3 ] || fail "--require-charts without gnuplot exited $rc, not 3"
[ ! -e rep-req ] || fail "--require-charts without gnuplot wrote rep-req"

# SIGINT/SIGTERM while drawing: exit 130/143, nothing left behind (8.3).
"$root/tests/report/report-signal.sh" "$mmbench" res "$scratch/signal" || fail "report-signal.sh"

# Headless Chromium: no console error, no failed request, no broken image.
set +e
/usr/bin/python3 "$root/tests/browser/check-report.py" rep/index.html screenshot.png --min-images 20
rc=$?
set -e
if [ "$rc" -eq 77 ]; then
  echo "browser check skipped (chromium not installed); everything else passed"
  exit 0
fi
[ "$rc" -eq 0 ] || fail "browser check"
echo "report e2e passed: $images charts, $(grep -c '<li id="finding' rep/index.html) findings"
