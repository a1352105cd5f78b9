#!/usr/bin/env bash
# The small-request threshold as a setting, end to end: --small-threshold 256 (the seed's,
# CPython before 3.8) reaches the measured child's runtime (257..512-byte requests leave
# the pools: the size classes end at 256 with one large row from 257, large_allocations
# counts them, and fewer arenas are needed), the result records it in
# config.allocator.small_request_threshold_bytes, the label and the setting hash; the
# default 512 keeps the hash a run without the flag has. MMBENCH_SMALL_THRESHOLD, the
# suite setting field and the sweep knob `small_threshold` give the same experiment.
set -euo pipefail
mmbench=$(realpath "$1") scratch=$2
rm -rf "$scratch"; mkdir -p "$scratch"; cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
common=(--repeat 1 --warmup 0 --values 1)
"$mmbench" run --help | grep -q -- "--small-threshold BYTES" || fail "run --help lacks --small-threshold"
"$mmbench" list settings | grep -q 'suite "small_threshold", sweep small_threshold' ||
  fail "list settings lacks the small_threshold knob"

for sc in typepools:n=20000 fragmentation:n=20000; do
  name=${sc%%:*} param=${sc#*:}
  "$mmbench" run "$name" --param "$param" "${common[@]}" -o "$name-none.json" >/dev/null 2>&1 ||
    fail "$name without the flag"
  "$mmbench" run "$name" --param "$param" "${common[@]}" --small-threshold 512 \
    -o "$name-512.json" >/dev/null 2>&1 || fail "$name --small-threshold 512"
  "$mmbench" run "$name" --param "$param" "${common[@]}" --small-threshold 256 \
    -o "$name-256.json" >/dev/null 2>&1 || fail "$name --small-threshold 256"
  MMBENCH_SMALL_THRESHOLD=256 "$mmbench" run "$name" --param "$param" "${common[@]}" \
    -o "$name-env.json" >/dev/null 2>&1 || fail "$name MMBENCH_SMALL_THRESHOLD=256"
done

/usr/bin/python3 - <<'PY' || fail "results"
import json

BIG = 2**63 - 1
def load(f):
    return json.load(open(f))

def check(doc, want, where):
    c = doc["config"]
    assert c["allocator"]["small_request_threshold_bytes"] == want, (where, c["allocator"])
    for r in doc["runs"]:
        assert r["status"] == "ok", (where, r["status"])
        rows = r["size_classes"]["rows"]
        large = rows[-1]
        # one large row, from threshold + 1; no pooled size class above the threshold
        assert large[0] == want + 1 and large[1] == BIG, (where, large)
        assert all(row[1] <= want for row in rows[:-1]), (where, rows)
        assert r["metrics"]["large_allocations"] == large[2], (where, large, r["metrics"])
    return doc

for name in ("typepools", "fragmentation"):
    none, d512 = load(f"{name}-none.json"), load(f"{name}-512.json")
    d256, env = load(f"{name}-256.json"), load(f"{name}-env.json")
    for d, w, where in ((none, 512, "no flag"), (d512, 512, "512"), (d256, 256, "256"),
                        (env, 256, "env")):
        check(d, w, f"{name} {where}")
    h = lambda d: d["config"]["setting"]["hash"]
    lab = lambda d: d["config"]["setting"]["label"]
    # the default is no new experiment: same hash and label as without the flag
    assert h(d512) == h(none) and lab(d512) == lab(none) == "cpython311", (name, lab(d512))
    assert h(d256) != h(none) and h(env) == h(d256), name
    assert lab(d256) == lab(env) == "cpython311-st256", lab(d256)
    # the requests of 257..512 bytes moved from the pools to the large row
    r5, r2 = d512["runs"][0], d256["runs"][0]
    mid = sum(row[2] for row in r5["size_classes"]["rows"] if 257 <= row[0] <= 512)
    assert r2["metrics"]["large_allocations"] == r5["metrics"]["large_allocations"] + mid, \
        (name, r2["metrics"]["large_allocations"], r5["metrics"]["large_allocations"], mid)
    assert mid > 0, name

# the child's allocator really changed: fragmentation's 257..512-byte objects no longer
# fill pools (deterministic counts: same seed, same operation sequence)
p5 = load("fragmentation-512.json")["runs"][0]["pools"]
p2 = load("fragmentation-256.json")["runs"][0]["pools"]
assert p2["arenas_peak"] < p5["arenas_peak"], (p2, p5)
print("run: threshold recorded, size classes end at it, arenas peak %d -> %d"
      % (p5["arenas_peak"], p2["arenas_peak"]))
PY

# Suite: a declared setting and a sweep over the knob (with alloc)
cat >suite.json <<'JSON'
{"name": "st", "baseline": "a", "scenarios": [{"name": "typepools", "params": {"n": 20000}}],
 "settings": [{"label": "a"}, {"label": "seed", "small_threshold": 256},
              {"label": "dflt", "small_threshold": 512}],
 "sweeps": [{"name": "sw", "scenario": "typepools",
             "knobs": {"small_threshold": [256, 512], "alloc": ["pool", "private"]}}],
 "measurement": {"repeat": 1, "warmup": 0, "values": 1}}
JSON
"$mmbench" suite suite.json -o res >/dev/null 2>&1 || fail "suite"
"$mmbench" run typepools --suite suite.json --setting seed -o run-seed.json >/dev/null 2>&1 ||
  fail "run --suite --setting seed"
/usr/bin/python3 - <<'PY' || fail "suite results"
import json, os
d = {f[len("typepools__"):-5]: json.load(open(os.path.join("res", f)))
     for f in os.listdir("res") if f.startswith("typepools__")}
want = {"a": 512, "seed": 256, "dflt": 512, "st-256-alloc-pool": 256,
        "st-256-alloc-private": 256, "st-512-alloc-pool": 512, "st-512-alloc-private": 512}
assert sorted(d) == sorted(want), sorted(d)
h = {k: v["config"]["setting"]["hash"] for k, v in d.items()}
for k, w in want.items():
    c = d[k]["config"]
    assert c["allocator"]["small_request_threshold_bytes"] == w, (k, c["allocator"])
    assert d[k]["runs"][0]["size_classes"]["rows"][-1][0] == w + 1, k
    if k.startswith("st-"):
        assert c["setting"]["sweep"]["small_threshold"] == w, (k, c["setting"]["sweep"])
assert h["a"] == h["dflt"] == h["st-512-alloc-pool"], h
assert h["seed"] == h["st-256-alloc-pool"] != h["a"], h
assert h["st-256-alloc-private"] != h["st-512-alloc-private"], h
run = json.load(open("run-seed.json"))
assert run["config"]["setting"]["hash"] == h["seed"], "run --suite --setting seed"
print("suite: %d settings, sweep labels and hashes as expected" % len(d))
PY
echo "small-threshold tests passed"
