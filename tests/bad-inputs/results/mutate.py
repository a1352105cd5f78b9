#!/usr/bin/env python3
"""Make malformed result files from a valid one: mutate.py GOOD.json OUTDIR.
Writes OUTDIR/<case>.json and OUTDIR/EXPECTED.tsv (file, substring of the error)."""
import copy
import json
import os
import sys

good = json.load(open(sys.argv[1]))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
cases = []


def case(name, fn, expect, raw=None):
    d = copy.deepcopy(good)
    if fn:
        fn(d)
    path = os.path.join(out, name + ".json")
    if raw is not None:
        open(path, "w").write(raw)
    else:
        json.dump(d, open(path, "w"))
    cases.append((name + ".json", expect))


text = json.dumps(good)
case("empty", None, "empty file", raw="")
case("not-json", None, "line 1", raw="not json at all\n")
case("truncated", None, "line", raw=text[: len(text) // 2])
case("array", None, "/: expected an object", raw="[]")
case("schema-v2", lambda d: d.update(schema="mmbench/result/v2"), "/schema: unsupported version 'mmbench/result/v2'")
case("schema-other", lambda d: d.update(schema="pyperf/1.0"), "/schema: not an mmbench result file")
case("no-runs", lambda d: d.pop("runs"), "required key 'runs' missing")
case("runs-empty", lambda d: d.update(runs=[]), "/runs: expected at least 1 items")
case("no-meta-host", lambda d: d["meta"].pop("host"), "/meta: required key 'host' missing")
case("host-fingerprint-bad", lambda d: d["meta"]["host"].update(fingerprint="abc"), "/meta/host/fingerprint")
case("config-unknown-key", lambda d: d["config"].update(speed=1), "/config/speed: unknown key")
case("gc-policy-unknown", lambda d: d["config"]["gc"].update(policy="g1"), "/config/gc/policy: value not allowed")
case("thresholds-short", lambda d: d["config"]["gc"].update(thresholds=[700, 10]), "/config/gc/thresholds: expected at least 3 items")
case("seed-string", lambda d: d["config"].update(seed="1"), "/config/seed: expected integer, got string")
case("params-string-key", lambda d: d["config"]["scenario"]["params"].update({"Bad Key": 1}), "/config/scenario/params/Bad Key")
case("run-status-unknown", lambda d: d["runs"][0].update(status="fine"), "/runs/0/status: value not allowed")
case("run-pid-zero", lambda d: d["runs"][0].update(pid=0), "/runs/0/pid: expected >= 1, got 0")
case("run-count-negative", lambda d: d["runs"][0]["pauses"].update(count=-1), "/runs/0/pauses/count: expected >= 0, got -1")
case("run-wall-string", lambda d: d["runs"][0]["metrics"].update(wall_ns="1000"), "/runs/0/metrics/wall_ns: expected integer, got string")
case("run-value-loops-zero", lambda d: d["runs"][0]["values"][0].update(loops=0), "/runs/0/values/0/loops: expected >= 1, got 0")
case("run-ok-no-values", lambda d: d["runs"][0].update(values=[]), "/runs/0/values: expected at least 1 items")
case("events-row-short", lambda d: d["runs"][0]["pauses"]["events"]["rows"].append([1, 2, 0]) or d["runs"][0]["pauses"]["events"].update(kept=d["runs"][0]["pauses"]["events"]["kept"] + 1), "/runs/0/pauses/events/rows/")
case("kept-mismatch", lambda d: d["runs"][0]["pauses"]["events"].update(kept=d["runs"][0]["pauses"]["events"]["kept"] + 1), "kept: must equal the number of rows")
case("frees-mismatch", lambda d: d["runs"][0]["metrics"].update(frees=d["runs"][0]["metrics"]["frees"] + 1), "frees: must equal frees_by_refcount + frees_by_gc")
case("count-mismatch", lambda d: d["runs"][0]["pauses"].update(count=d["runs"][0]["pauses"]["count"] + 1), "count: must equal the histogram's counts")
case("bin-gen-mismatch", lambda d: d["runs"][0]["pauses"]["histogram"]["bins"][0].__setitem__(3, d["runs"][0]["pauses"]["histogram"]["bins"][0][3] + 1), "count must be >= 1 and equal gen0+gen1+gen2")
case("total-mismatch", lambda d: d["runs"][0]["pauses"].update(total_ns=d["runs"][0]["pauses"]["total_ns"] + 1), "total_ns: must equal metrics.gc_time_ns")
case("timeseries-short-row", lambda d: d["runs"][0]["timeseries"]["rows"].append([1, 2]), "/runs/0/timeseries/rows/")
case("summary-missing", lambda d: d.pop("summary"), "required key 'summary' missing")
case("warning-bad-code", lambda d: d["warnings"].append({"code": "LOAD", "severity": "warning", "message": "x"}), "/warnings/")
case("extra-top-key", lambda d: d.update(extra=1), "/extra: unknown key")
with open(os.path.join(out, "EXPECTED.tsv"), "w") as f:
    for name, exp in cases:
        f.write(f"{name}\t{exp}\n")
