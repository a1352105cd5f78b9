#!/usr/bin/env bash
# The same suite run serially (mmbench suite), with GNU parallel (scripts/sweep-parallel)
# and as a Slurm job array on a local single-node cluster (scripts/sweep-slurm) gives the
# same result files: the same scenario x setting pairs, run counts, configurations (with
# their setting hashes) and deterministic counters; and the three directories merge into
# one (same host fingerprint), runs concatenated (issue 10.4).
#
# usage: same-results.sh MMBENCH REPO_ROOT SCRATCH
set -euo pipefail
mmbench=$(realpath "$1") root=$(realpath "$2") scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"; scratch=$(realpath "$scratch"); cd "$scratch"
export MMBENCH=$mmbench
fail() { echo "FAIL: $*"; exit 1; }
cat >suite.json <<'JSON'
{"schema": "mmbench/suite/v1", "name": "cluster", "baseline": "a",
 "scenarios": [{"name": "churn", "params": {"ops": 20000}}, {"name": "cycles", "params": {"n": 20000}}],
 "settings": [{"label": "a"}, {"label": "b", "gc": "cpython313"}],
 "sweeps": [{"name": "sw", "scenario": "cycles", "knobs": {"threshold0": [100, 1000]}}],
 "measurement": {"repeat": 2, "warmup": 0, "values": 1}}
JSON

"$mmbench" suite suite.json -o serial >/dev/null 2>serial.err || fail "serial suite: $(tail -2 serial.err)"
"$root/scripts/sweep-parallel" suite.json -o parallel >/dev/null 2>parallel.err ||
  fail "sweep-parallel: $(tail -2 parallel.err)"
dirs=(serial parallel)

source "$root/tests/cluster/slurm-lib.sh"
trap slurm_stop EXIT
set +e
slurm_start "$scratch/slurmd"
rc=$?
set -e
if [ "$rc" -eq 0 ]; then
  "$root/scripts/sweep-slurm" suite.json -o slurm --wait >/dev/null 2>slurm.err ||
    fail "sweep-slurm: $(tail -3 slurm.err)"
  dirs+=(slurm)
else
  echo "note: the Slurm part was skipped (see the SKIP line above); serial vs parallel checked"
fi

/usr/bin/python3 - "${dirs[@]}" <<'PY' || fail "result sets differ"
import json, os, sys
def load(d):
    out = {}
    for f in sorted(os.listdir(d)):
        if "__" in f and f.endswith(".json"):
            out[f] = json.load(open(os.path.join(d, f)))
    return out
sets = {d: load(d) for d in sys.argv[1:]}
ref_name, ref = next(iter(sets.items()))
assert len(ref) == 6, sorted(ref)
def deterministic(doc):
    return sorted((r["metrics"]["allocations"], tuple(r["metrics"]["gc"]["collections"]),
                   tuple(r["metrics"]["gc"]["collected"])) for r in doc["runs"] if r["status"] == "ok")
for name, s in sets.items():
    assert sorted(s) == sorted(ref), (name, sorted(s))
    for f, doc in s.items():
        r = ref[f]
        assert doc["status"] == r["status"] == "complete", (name, f)
        assert len(doc["runs"]) == len(r["runs"]), (name, f, len(doc["runs"]), len(r["runs"]))
        for k in ("scenario", "setting", "gc", "allocator", "free_lists", "seed", "measurement"):
            assert doc["config"][k] == r["config"][k], (name, f, k)
        assert deterministic(doc) == deterministic(r), (name, f)
print("same result files in " + ", ".join(sets))
PY

mkdir merged
"$mmbench" merge merged "${dirs[@]}" >/dev/null 2>merge.err || fail "merge of ${dirs[*]}: $(cat merge.err)"
/usr/bin/python3 - "${#dirs[@]}" <<'PY' || fail "merged runs"
import json, os, sys
k = int(sys.argv[1])
for f in os.listdir("merged"):
    if "__" in f and f.endswith(".json"):
        d = json.load(open(os.path.join("merged", f)))
        # the baseline of the swept scenario has runs from two jobs (scenario + sweep)
        want = 2 * k * (2 if f == "cycles__a.json" else 1)
        assert len(d["runs"]) == want, (f, len(d["runs"]), want)
        assert [r["index"] for r in d["runs"]] == list(range(want)), f
print("merged across %d directories: runs concatenated and renumbered" % k)
PY
echo "cluster results identical across: ${dirs[*]}"
