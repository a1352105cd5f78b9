#!/usr/bin/env python3
"""Conformance of result files (results-and-reports.md 8.4.1):
every file `run`, `suite` and `merge` write validates against result.schema.json (so does
the contract's example), keys follow the schema's order (1), the invariants of 2.6/2.8 hold
on every run of every scenario, MMU recomputed from the events matches (2.7), `run` prints
every stored warning to stderr (2.10), meta.tool.cflags holds compiler flags (2.2), and
deleting or retyping each required key makes the reader (`mmbench merge`) exit 2 without
writing anything.

usage: conformance.py MMBENCH SCHEMA.json EXAMPLE.json SCRATCH
"""
import bisect
import copy
import json
import os
import shutil
import subprocess
import sys

import jsonschema

MMBENCH, SCHEMA, EXAMPLE, SCRATCH = sys.argv[1:5]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def run(*args, **kw):
    return subprocess.run([MMBENCH, *args], capture_output=True, text=True, **kw)


def invariants(doc, where):
    for run_ in doc["runs"]:
        if run_["status"] != "ok":
            continue
        m, p = run_["metrics"], run_["pauses"]
        gc = m["gc"]
        bins = p["histogram"]["bins"]
        checks = [
            (p["count"] == sum(b[2] for b in bins) == sum(gc["collections"]), "pause count"),
            (p["total_ns"] == m["gc_time_ns"] == sum(gc["time_ns"]), "pause total"),
            (all(b[2] == b[3] + b[4] + b[5] for b in bins), "bin generations"),
            (p["events"]["kept"] == len(p["events"]["rows"]), "events kept"),
            (m["frees"] == m["frees_by_refcount"] + m["frees_by_gc"], "frees split"),
            ([r[0] for r in p["events"]["rows"]] == sorted(r[0] for r in p["events"]["rows"]),
             "events sorted"),
            ([r[0] for r in run_["timeseries"]["rows"]] ==
             sorted(r[0] for r in run_["timeseries"]["rows"]), "time series sorted"),
            (len(run_["mmu"]["windows_ns"]) == len(run_["mmu"]["utilization"]), "mmu lengths"),
            (0 <= m["gc_time_share"] <= 1, "gc share range"),
        ]
        for ok, what in checks:
            if not ok:
                fail(f"{where}: run {run_['index']}: invariant '{what}' broken")
        mmu_check(run_, where)
    # 2.9: the pooled pauses are the merged histograms of the summarised runs
    excluded = set(doc["summary"]["runs_excluded"])
    pooled = doc["summary"]["pauses_pooled"]
    runs_ok = [r for r in doc["runs"] if r["status"] == "ok" and r["index"] not in excluded]
    if pooled["count"] != sum(r["pauses"]["count"] for r in runs_ok):
        fail(f"{where}: summary.pauses_pooled.count {pooled['count']} is not the sum of the "
             f"runs' pause counts {sum(r['pauses']['count'] for r in runs_ok)}")
    if pooled["total_ns"] != sum(r["pauses"]["total_ns"] for r in runs_ok):
        fail(f"{where}: summary.pauses_pooled.total_ns is not the sum of the runs'")


SCHEMA_DOC = json.load(open(SCHEMA))


def key_order(doc, where):
    """Section 1, "keys in schema order": in every object that the schema describes with
    `properties` (through $ref, oneOf/anyOf/allOf, items and additionalProperties), the
    keys it lists appear in the order it lists them. Other keys (x_ keys, map entries)
    are not ordered. One failure per object path (run numbers folded)."""
    defs = SCHEMA_DOC["$defs"]
    seen = set()

    def resolve(s):
        while isinstance(s, dict) and "$ref" in s:
            s = defs[s["$ref"].split("/")[-1]]
        return s

    def branches(s):
        s = resolve(s)
        if not isinstance(s, dict):
            return []
        out = [s]
        for k in ("oneOf", "anyOf", "allOf"):
            for b in s.get(k, []):
                out += branches(b)
        return out

    def walk(s, d, path):
        for b in branches(s):
            if isinstance(d, dict):
                props = list(b.get("properties", {}))
                keys = [k for k in d if k in props]
                folded = "/" + "/".join("N" if isinstance(k, int) else k for k in path)
                if keys != sorted(keys, key=props.index) and folded not in seen:
                    seen.add(folded)
                    fail(f"{where}: {folded}: keys {keys} are not in the schema's order "
                         f"{[k for k in props if k in d]}")
                for k, v in d.items():
                    if k in props:
                        walk(b["properties"][k], v, path + [k])
                    elif isinstance(b.get("additionalProperties"), dict):
                        walk(b["additionalProperties"], v, path + [k])
            elif isinstance(d, list) and isinstance(b.get("items"), dict):
                for i, v in enumerate(d):
                    walk(b["items"], v, path + [i])

    walk(SCHEMA_DOC, doc, [])


def validate(validator, path):
    doc = json.load(open(path))
    errs = list(validator.iter_errors(doc))
    if errs:
        fail(f"{path}: {errs[0].message[:200]} at {list(errs[0].absolute_path)}")
    key_order(doc, path)
    return doc


def mmu_windows(T):
    """2.7: 1, 2, 5 x 10^k ms from 1 ms up to T, at most 16."""
    out, decade = [], 1000000
    while len(out) < 16:
        for step in (1, 2, 5):
            if step * decade > T or len(out) == 16:
                return out
            out.append(step * decade)
        decade *= 10
    return out


def mmu_check(run_, where):
    """2.7 recomputed from the events of a run that kept them all: T = metrics.wall_ns,
    windows inside [0, T], only pause time inside the window counts (a pause that runs
    past T counts up to T; one that starts after T not at all)."""
    ev, T = run_["pauses"]["events"], run_["metrics"]["wall_ns"]
    if ev["policy"] != "all" or ev["kept"] != run_["pauses"]["count"]:
        return
    clipped = sorted((min(r[0], T), min(r[0] + r[1], T)) for r in ev["rows"])
    starts = [a for a, _ in clipped]
    cum = [0]
    for a, b in clipped:
        cum.append(cum[-1] + b - a)

    def paused_upto(x):  # pause time inside [0, x]
        j = bisect.bisect_right(starts, x)
        if not j:
            return cum[0]
        a, b = clipped[j - 1]
        return cum[j - 1] + min(x, b) - a

    mmu = run_["mmu"]
    if mmu["windows_ns"] != mmu_windows(T):
        fail(f"{where}: run {run_['index']}: mmu windows {mmu['windows_ns']} are not those "
             f"of T = wall_ns {T}")
        return
    for w, got in zip(mmu["windows_ns"], mmu["utilization"]):
        cands = {0, T - w}
        for a, b in clipped:
            cands.add(min(a, T - w))
            cands.add(min(max(b - w, 0), T - w))
        worst = max(paused_upto(t + w) - paused_upto(t) for t in cands)
        want = max(0.0, (w - worst) / w)
        if abs(got - want) > 1.5e-6:
            fail(f"{where}: run {run_['index']}: mmu at {w} ns is {got}, recomputed with "
                 f"T = wall_ns {T}: {want:.6f}")


def printed(doc, stderr, where):
    """2.10: warnings "are printed to stderr", every severity, one line each."""
    lines = stderr.splitlines()
    for w in doc["warnings"]:
        line = f"mmbench: {w['severity']}: {w['code']}: {w['message']}"
        if line not in lines:
            fail(f"{where}: warning not printed to stderr as one line: {line}")


def tool_cflags(base_tool):
    """2.2: meta.tool.cflags holds the flags the C compiler got (-DNDEBUG in a release
    build), not meson option names (tests/unit/test_bench_meta.c checks -O and sanitizers
    against the compiler's own macros)."""
    words = base_tool["cflags"].split()
    if any("=" in w and not w.startswith("-") for w in words):
        fail(f"meta.tool.cflags {base_tool['cflags']!r}: not compiler flags")
    if base_tool["build_type"] == "release" and "-DNDEBUG" not in words:
        fail(f"meta.tool.cflags {base_tool['cflags']!r}: a release build without -DNDEBUG")


def required_paths(schema, doc):
    """(path, value) of every required key present in doc, following $ref by hand for the
    shapes the result file uses."""
    defs = schema["$defs"]

    def resolve(s):
        while isinstance(s, dict) and "$ref" in s:
            s = defs[s["$ref"].split("/")[-1]]
        return s

    out = []

    def walk(s, d, path):
        s = resolve(s)
        if not isinstance(s, dict) or not isinstance(d, dict):
            return
        for k in s.get("required", []):
            if k in d:
                out.append(path + [k])
        props = s.get("properties", {})
        for k, v in d.items():
            if k in props:
                walk(props[k], v, path + [k])

    walk(schema, doc, [])
    # the first run's keys too
    run_schema = defs["run"]
    for k in run_schema["required"] + run_schema["then"]["required"]:
        if k in doc["runs"][0]:
            out.append(["runs", 0, k])
    for k in resolve(defs["run_metrics"])["required"]:
        out.append(["runs", 0, "metrics", k])
    return out


def mutate(doc, path, how):
    d = copy.deepcopy(doc)
    cur = d
    for k in path[:-1]:
        cur = cur[k]
    if how == "delete":
        del cur[path[-1]]
    else:
        v = cur[path[-1]]
        # a value of the wrong type: null becomes a list (no nullable key is a list),
        # strings a number, everything else a string
        cur[path[-1]] = [] if v is None else 12345 if isinstance(v, str) else "x"
    return d


def reader_refuses(doc, label, slot=0):
    work = os.path.join(SCRATCH, f"mut{slot}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "in"))
    os.makedirs(os.path.join(work, "out"))
    src = os.path.join(work, "in", "churn__x.json")
    json.dump(doc, open(src, "w"))
    r = run("merge", os.path.join(work, "out"), src)
    written = os.listdir(os.path.join(work, "out"))
    shutil.rmtree(work, ignore_errors=True)
    if r.returncode != 2 or written:
        fail(f"{label}: reader exit {r.returncode}, wrote {written}; stderr {r.stderr[:200]}")
    elif "error" not in r.stderr:
        fail(f"{label}: no error message")


def main():
    schema = json.load(open(SCHEMA))
    validator = jsonschema.Draft202012Validator(schema)
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH)
    validate(validator, EXAMPLE)
    # every scenario once (run), checked against the schema and the invariants
    scenarios = [l.split()[0] for l in run("list").stdout.splitlines()
                 if l and not l.startswith(" ") and l.split()[0].isidentifier()]
    if len(scenarios) < 12:
        fail(f"mmbench list shows {len(scenarios)} scenarios")
    for sc in scenarios:
        out = os.path.join(SCRATCH, f"{sc}.json")
        r = run("run", sc, "--repeat", "2", "--warmup", "0", "--values", "1", "-o", out)
        if r.returncode != 0:
            fail(f"run {sc}: exit {r.returncode}: {r.stderr[-300:]}")
            continue
        doc = validate(validator, out)
        invariants(doc, sc)
        printed(doc, r.stderr, sc)
    # failed runs (a heap budget the scenario exceeds, and one below what the runtime
    # itself needs at start: both are "limit" runs), the arena map and the seed's
    # 256-byte small-request threshold (size classes end at 256, one large row from
    # 257): their run objects keep the order too
    for extra in (["--mem-limit", "65536"], ["--mem-limit", "4096"], ["--arena-map"],
                  ["--small-threshold", "256"]):
        out = os.path.join(SCRATCH, f"churn{'_'.join(extra)}.json")
        r = run("run", "churn", "--repeat", "1", "--warmup", "0", "--values", "1", *extra,
                "-o", out)
        if r.returncode not in (0, 4) or not os.path.exists(out):
            fail(f"run churn {extra}: exit {r.returncode}: {r.stderr[-300:]}")
            continue
        doc = validate(validator, out)
        if extra[0] == "--mem-limit" and doc["runs"][0]["status"] != "limit":
            fail(f"run churn {extra}: run status {doc['runs'][0]['status']}, not limit")
        if "nan" in r.stdout:
            fail(f"run churn {extra}: the summary line prints nan: {r.stdout!r}")
        if extra[0] == "--small-threshold":
            rows = doc["runs"][0]["size_classes"]["rows"]
            if (doc["config"]["allocator"]["small_request_threshold_bytes"] != 256 or
                    rows[-1][0] != 257 or any(r[1] > 256 for r in rows[:-1])):
                fail(f"run churn {extra}: threshold not applied: "
                     f"{doc['config']['allocator']}, rows {rows}")
        printed(doc, r.stderr, f"churn {extra}")
    # more pauses than max_events (2000): the bounded event policy of 2.6.4, chosen
    # online by the child: every full collection (at most 500) "oldest", the 64 longest
    # others "top", 1024 of the rest "reservoir", in time order
    out = os.path.join(SCRATCH, "cycles-bounded.json")
    r = run("run", "cycles", "--repeat", "1", "--warmup", "0", "--values", "1", "--loops",
            "2", "-o", out)
    if r.returncode != 0:
        fail(f"run cycles --loops 2: exit {r.returncode}: {r.stderr[-300:]}")
    else:
        doc = validate(validator, out)
        invariants(doc, "cycles --loops 2")
        run_ = doc["runs"][0]
        ev, total = run_["pauses"]["events"], run_["pauses"]["count"]
        kinds = [row[8] for row in ev["rows"]]
        full = run_["metrics"]["gc"]["collections"][2]
        durs = sorted((row[1] for row in ev["rows"] if row[2] != 2 or
                       row[8] != "oldest"), reverse=True)
        tops = [row[1] for row in ev["rows"] if row[8] == "top"]
        if (ev["policy"] != "bounded" or total <= 2000 or
                kinds.count("oldest") != min(full, 500) or kinds.count("top") != 64 or
                kinds.count("reservoir") != min(1024, total - min(full, 500) - 64) or
                min(tops) < durs[63] or
                [row[0] for row in ev["rows"]] != sorted(row[0] for row in ev["rows"])):
            fail(f"cycles --loops 2: bounded events wrong: policy {ev['policy']}, total "
                 f"{total}, kept {dict((k, kinds.count(k)) for k in set(kinds))}")
    tool_cflags(json.load(open(os.path.join(SCRATCH, "churn.json")))["meta"]["tool"])
    # a suite (with a sweep) and a merge of two runs
    suite = {"schema": "mmbench/suite/v1", "name": "conf", "baseline": "a",
             "scenarios": [{"name": "trees", "params": {"depth": 10}},
                           {"name": "cycles", "params": {"n": 20000}}],
             "settings": [{"label": "a"}, {"label": "b", "gc": "cpython313"}],
             "sweeps": [{"name": "sw", "scenario": "trees",
                         "knobs": {"threshold0": [100, 2000]}}],
             "measurement": {"repeat": 2, "warmup": 0, "values": 1}}
    spath = os.path.join(SCRATCH, "suite.json")
    json.dump(suite, open(spath, "w"))
    rdir = os.path.join(SCRATCH, "res")
    r = run("suite", spath, "-o", rdir)
    if r.returncode != 0:
        fail(f"suite: exit {r.returncode}: {r.stderr[-300:]}")
    files = sorted(f for f in os.listdir(rdir) if "__" in f and f.endswith(".json"))
    if len(files) != 6:
        fail(f"suite wrote {files}")
    for f in files:
        invariants(validate(validator, os.path.join(rdir, f)), f)
    idx = json.load(open(os.path.join(rdir, "index.json")))
    if sorted(e["file"] for e in idx["entries"]) != files:
        fail("index.json does not list exactly the result files")
    mdir = os.path.join(SCRATCH, "merged")
    os.makedirs(mdir)
    r = run("merge", mdir, os.path.join(SCRATCH, "churn.json"))
    merged = os.path.join(mdir, "churn__cpython311.json")
    if r.returncode != 0 or not os.path.exists(merged):
        fail(f"merge: exit {r.returncode}: {r.stderr[-300:]}")
    else:
        validate(validator, merged)
        # --exclude rewrites the file: still valid, keys still in schema order
        r = run("merge", mdir, "--exclude", "churn__cpython311:0", "--reason", "test")
        doc = validate(validator, merged) if r.returncode == 0 else None
        if doc is None or doc["runs"][0].get("excluded") != "test":
            fail(f"merge --exclude: exit {r.returncode}: {r.stderr[-300:]}")
        else:
            invariants(doc, "merge --exclude")
    # readers refuse every deleted or retyped required key
    base = json.load(open(os.path.join(SCRATCH, "churn.json")))
    paths = required_paths(schema, base)
    # Sanitizer builds start slowly: there every STRIDE-th key is checked (all of them in
    # the release build).
    stride = int(os.environ.get("MMBENCH_CONFORMANCE_STRIDE", "1"))
    jobs = [(p, how) for p in paths[::stride] for how in ("delete", "retype")]
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        list(ex.map(lambda ij: reader_refuses(mutate(base, ij[1][0], ij[1][1]),
                                              f"{ij[1][1]} /{'/'.join(map(str, ij[1][0]))}",
                                              ij[0]),
                    enumerate(jobs)))
    print(f"checked {len(scenarios)} scenarios, {len(files)} suite files, "
          f"{len(jobs)} mutations; {len(failures)} failures")
    return 1 if failures else 0


sys.exit(main())
