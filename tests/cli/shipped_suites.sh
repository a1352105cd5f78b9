#!/usr/bin/env bash
# Every suite file shipped in bench/suites/ parses and expands: `suite --emit-jobs` lists
# one job per scenario, each with every setting of the file, and one per sweep (the
# default suite: 13 scenarios under cpython311, cpython313, gc-off, marksweep and
# private-pools, and the trees threshold sweep).
set -euo pipefail
mmbench=$(realpath "$1") suites=$(realpath "$2") scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"; cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
# counts FILE: "scenarios sweeps settings", the settings' labels sorted, comma-joined
counts() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
labels = ",".join(sorted(s["label"] for s in d["settings"]))
print(len(d["scenarios"]), len(d.get("sweeps", [])), labels)
PY
}
for f in "$suites"/*.json; do
  name=$(basename "$f" .json)
  "$mmbench" suite "$f" -o "out-$name" --emit-jobs "jobs-$name.tsv" >/dev/null 2>err.txt ||
    fail "$name: $(cat err.txt)"
  read -r nsc nsw settings < <(counts "$f")
  [ "$(wc -l <"jobs-$name.tsv")" -eq $((nsc + nsw)) ] ||
    fail "$name: $(wc -l <"jobs-$name.tsv") jobs for $nsc scenarios and $nsw sweeps"
  while IFS=$'\t' read -r job scenario set _; do
    [ "$job" = "$scenario" ] || continue # a sweep: its own grid of settings
    [ "$(tr , '\n' <<<"$set" | sort | paste -sd,)" = "$settings" ] ||
      fail "$name: job $job runs '$set', the file has '$settings'"
  done <"jobs-$name.tsv"
done
grep -q '"label": "marksweep", "gc": "marksweep"' "$suites/default.json" ||
  fail "default suite lacks the marksweep setting"
echo "shipped suites: ok"
