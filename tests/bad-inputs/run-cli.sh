#!/usr/bin/env bash
# Bad input to the mmbench CLI (results-and-reports.md 8.2, 8.3; issue 9.3): every case of
# cli/CASES.tsv, suite/*.json and the generated result-file mutations must exit 2 (3 for
# the missing-allocator cases of CASES.tsv, 2.3) with a message naming the problem, and
# create or touch nothing. Last, --anonymize must null every hostname (2.2).
#
# usage: run-cli.sh MMBENCH CORPUS_DIR SCRATCH
set -uo pipefail
mmbench=$(realpath "$1") corpus=$(realpath "$2") scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"; scratch=$(realpath "$scratch")
pass=0 failed=0

fixtures=$scratch/fixtures
mkdir -p "$fixtures/subdir"
echo '{}' >"$fixtures/exists.json"
cat >"$fixtures/ok-suite.json" <<'JSON'
{"name": "ok", "baseline": "a", "scenarios": [{"name": "churn", "params": {"ops": 2000}}],
 "settings": [{"label": "a"}], "measurement": {"repeat": 1, "warmup": 0, "values": 1}}
JSON
"$mmbench" run churn --param ops=2000 --repeat 1 --warmup 0 --values 1 \
  -o "$fixtures/good.json" >/dev/null 2>&1 || { echo "cannot make a valid result file"; exit 1; }
# a suite asking for jemalloc (the cases point MMBENCH_PRELOAD_JEMALLOC at a missing file,
# so the pre-flight fails whether or not jemalloc is installed)
cat >"$fixtures/je-suite.json" <<'JSON'
{"name": "je", "baseline": "a", "scenarios": [{"name": "churn", "params": {"ops": 2000}}],
 "settings": [{"label": "a"}, {"label": "je", "alloc": "jemalloc"}],
 "measurement": {"repeat": 1, "warmup": 0, "values": 1}}
JSON
# merge inputs that must be refused: another setting hash (--loops 2), another host
"$mmbench" run churn --param ops=2000 --repeat 1 --warmup 0 --values 1 --loops 2 \
  -o "$fixtures/good-loops2.json" >/dev/null 2>&1 || { echo "cannot make a result file"; exit 1; }
/usr/bin/python3 - "$fixtures/good.json" "$fixtures/other-host.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
d["meta"]["host"]["cpu_model"] = "Other CPU"
d["meta"]["host"]["fingerprint"] = "sha256:" + "0" * 64
json.dump(d, open(sys.argv[2], "w"))
PY

snapshot() { (cd "$1" && find . -printf '%p %s %T@\n' | sort); }

# check ID EXPECTED_EXIT SUBSTRING -- ARGS...
check() {
  local id=$1 want=$2 substr=$3; shift 4
  local dir=$scratch/case-$id rc before after
  rm -rf "$dir"; cp -a "$fixtures" "$dir"
  before=$(snapshot "$dir")
  if [ "${1:-}" = env ]; then
    shift
    local vars=()
    while [[ "${1:-}" == *=* ]]; do vars+=("$1"); shift; done
    (cd "$dir" && env "${vars[@]}" "$mmbench" "$@") >"$dir.out" 2>"$dir.err"
  else
    (cd "$dir" && "$mmbench" "$@") >"$dir.out" 2>"$dir.err"
  fi
  rc=$?
  after=$(snapshot "$dir")
  local why=""
  [ "$rc" -eq "$want" ] || why="exit $rc, expected $want"
  grep -qF -- "$substr" "$dir.err" || why="$why; stderr lacks '$substr'"
  [ "$before" = "$after" ] || why="$why; files changed: $(diff <(echo "$before") <(echo "$after") | grep '^[<>]' | head -2 | tr '\n' ' ')"
  if [ -z "$why" ]; then
    pass=$((pass + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $id: ${why#; } | stderr: $(head -c 200 "$dir.err")"
  fi
}

# 1. command lines
while IFS=$'\t' read -r id want substr args; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  read -r -a words <<<"$args"
  check "$id" "$want" "$substr" -- "${words[@]}"
done <"$corpus/cli/CASES.tsv"

# 2. suite files: each file names its expected message in suite/EXPECTED.tsv
while IFS=$'\t' read -r file substr; do
  [[ -z "$file" || "$file" == \#* ]] && continue
  cp "$corpus/suite/$file" "$fixtures/bad-suite.json"
  check "suite-${file%.json}" 2 "$substr" -- suite bad-suite.json -o out
done <"$corpus/suite/EXPECTED.tsv"

# 3. result files: mutations of a valid file, read by merge (and compare, report)
/usr/bin/python3 "$corpus/results/mutate.py" "$fixtures/good.json" "$scratch/mutants" || exit 1
while IFS=$'\t' read -r file substr; do
  cp "$scratch/mutants/$file" "$fixtures/bad.json"
  check "merge-${file%.json}" 2 "$substr" -- merge subdir bad.json
  check "compare-${file%.json}" 2 "$substr" -- compare good.json bad.json
  check "report-${file%.json}" 2 "$substr" -- report bad.json -o rep
done <"$scratch/mutants/EXPECTED.tsv"

# 4. --anonymize nulls meta.host.hostname and every runs[].hostname
if "$mmbench" run churn --param ops=2000 --repeat 2 --warmup 0 --values 1 --anonymize \
     -o "$scratch/anon.json" >/dev/null 2>&1 &&
   /usr/bin/python3 - "$scratch/anon.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = [d["meta"]["host"]["hostname"]] + [r["hostname"] for r in d["runs"]]
sys.exit(0 if len(names) == 3 and all(n is None for n in names) else 1)
PY
then
  pass=$((pass + 1))
else
  failed=$((failed + 1))
  echo "FAIL anonymize: a hostname survived --anonymize (meta.host or runs[])"
fi

echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
