#!/usr/bin/python3
"""`mmbench export` conformance (spec 6.1, 8.1-8.3, scripts/gnuplot/README.md).

Usage: test-export.py [--draw] MMBENCH SCRATCH_DIR [RESULTS_DIR]

Without RESULTS_DIR, runs a tiny suite (2 scenarios, 2 settings, a 2x2 sweep, repeat 5)
into SCRATCH_DIR/res. Then checks that every exported TSV follows the README layout and
matches the JSON it came from, that exports are byte-identical, the trace and CSV shapes,
bad-input handling (exit 2, nothing written). With --draw it also draws every TSV with
its gnuplot script (gnuplot errors fail the test; exit 77 = skipped when
gnuplot is missing).
"""
import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAIL = []


def fail(msg):
    FAIL.append(msg)
    print("FAIL", msg)


def close(a, b, rel=2e-5):
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return abs(a - b) <= rel * max(abs(a), abs(b)) + 1e-12


def num(s):
    return float("nan") if s == "NaN" else float(s)


SUITE = {
    "schema": "mmbench/suite/v1", "name": "export-test", "baseline": "cpython311",
    "scenarios": [{"name": "trees", "params": {"depth": 13, "longlived": 10}},
                  {"name": "cycles", "params": {"n": 300000}}],
    "settings": [{"label": "cpython311", "gc": "cpython311"},
                 {"label": "cpython313", "gc": "cpython313"}],
    "sweeps": [{"name": "thr", "scenario": "trees",
                "knobs": {"threshold0": [300, 5000], "threshold1": [5, 50]},
                "include_baseline": True}],
    "measurement": {"repeat": 5, "warmup": 0, "values": 1, "loops": 1},
    "hyperfine": {"enabled": False},
    "jobs": {"per": "scenario"},
}


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


# ---- reading the TSV layout ----

def parse_tsv(path):
    """Blocks as [(name, columns, rows)]; checks the general layout rules."""
    text = open(path, encoding="utf-8").read()
    where = os.path.basename(path)
    if not text.endswith("\n") or "\r" in text:
        fail(f"{where}: must end with LF, no CR")
    lines = text.split("\n")[:-1]
    if not lines or not lines[0].startswith("# ") or lines[0].startswith("# series="):
        fail(f"{where}: line 1 must be '# ' + column names")
        return []
    cols0 = lines[0][2:].split("\t")
    blocks, i, names = [], 1, set()
    while i < len(lines):
        if not lines[i].startswith("# series="):
            fail(f"{where}:{i + 1}: expected '# series=' got {lines[i]!r}")
            return blocks
        name = lines[i][9:]
        if not name or any(c.isspace() for c in name) or name in names:
            fail(f"{where}:{i + 1}: bad or repeated block name {name!r}")
        names.add(name)
        i += 1
        cols = cols0
        if i < len(lines) and lines[i].startswith("# ") and not lines[i].startswith("# series="):
            cols = lines[i][2:].split("\t")
            i += 1
        rows = []
        while i < len(lines) and lines[i] != "":
            ln = lines[i]
            if ln.startswith("#"):
                fail(f"{where}:{i + 1}: comment inside a block")
            f = ln.split("\t")
            if " " in ln or ln.endswith("\t") or len(f) != len(cols):
                fail(f"{where}:{i + 1}: bad row {ln!r} for columns {cols}")
            for x in f:
                if x.lower() in ("nan", "inf", "-inf") and x != "NaN" or "," in x:
                    fail(f"{where}:{i + 1}: bad field {x!r}")
            rows.append(f)
            i += 1
        blocks.append((name, cols, rows))
        if i < len(lines):
            if lines[i:i + 2] != ["", ""] or (i + 2 < len(lines) and lines[i + 2] == ""):
                fail(f"{where}:{i + 1}: blocks must be separated by exactly two empty lines")
            i += 2
    return blocks


# ---- what the JSON says ----

def ok_runs(doc):
    return [i for i, r in enumerate(doc["runs"]) if r["status"] == "ok" and not r.get("excluded")]


def per_loop(run):
    v = [x["wall_ns"] / x["loops"] for x in run["values"] if x["loops"] > 0]
    return sum(v) / len(v)


def rep_run(doc):
    o = sorted(ok_runs(doc), key=lambda i: (per_loop(doc["runs"][i]), i))
    return doc["runs"][o[(len(o) - 1) // 2]]


def median(v):
    v = sorted(v)
    n = len(v)
    return float("nan") if not n else v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def events(run):
    e = run["pauses"]["events"]
    return [dict(zip(e["columns"], r)) for r in e["rows"]]


def series(run):
    t = run["timeseries"]
    return [dict(zip(t["columns"], r)) for r in t["rows"]]


MIB = 1048576.0


def check_chart(e, blocks, res):
    chart, scen, sett = e["chart"], e["scenario"], e["setting"]
    doc = res.get((scen, sett)) if sett else None
    bl = {b[0]: b for b in blocks}
    where = e["name"]
    if chart == "pause-timeline":
        run = rep_run(doc)
        for g in range(3):
            want = [(x["t_ns"] / 1e9, x["duration_ns"] / 1e6) for x in events(run)
                    if x["generation"] == g and x["duration_ns"] > 0]
            got = [(num(r[0]), num(r[1])) for r in bl[f"gen{g}"][2]]
            if len(want) != len(got) or not all(close(a[0], b[0]) and close(a[1], b[1])
                                                for a, b in zip(want, got)):
                fail(f"{where}: gen{g} rows differ from the representative run's events")
    elif chart == "heap-timeline":
        want = series(rep_run(doc))
        rows = blocks[0][2]
        if len(rows) != len(want) or not all(
                close(num(r[3]), (w["gen0_bytes"] + w["gen1_bytes"] + w["gen2_bytes"]) / MIB)
                and close(num(r[2]), (w["gen0_bytes"] + w["gen1_bytes"]) / MIB)
                and close(num(r[4]), w["rss_bytes"] / MIB) for r, w in zip(rows, want)):
            fail(f"{where}: rows differ from the time series")
    elif chart == "frees-split":
        ts = series(rep_run(doc))
        want = [((q["frees_by_refcount"] - p["frees_by_refcount"]) / ((q["t_ns"] - p["t_ns"]) / 1e9),
                 (q["frees_by_gc"] - p["frees_by_gc"]) / ((q["t_ns"] - p["t_ns"]) / 1e9))
                for p, q in zip(ts, ts[1:]) if q["t_ns"] > p["t_ns"]]
        got = [(num(r[1]), num(r[2])) for r in blocks[0][2]]
        if want != got and not all(close(a[0], b[0]) and close(a[1], b[1])
                                   for a, b in zip(want, got)) or len(want) != len(got):
            fail(f"{where}: deltas differ from the time series")
    elif chart == "pool-util":
        ts = series(rep_run(doc))
        got = blocks[0][2]
        if len(got) != len(ts) or any(int(r[1]) != w["arenas"] or int(r[2]) != w["pools_in_use"]
                                      for r, w in zip(got, ts)):
            fail(f"{where}: arenas/pools differ from the time series")
    elif chart == "heap-collections":
        ev = events(rep_run(doc))
        got = bl["collections"][2]
        if len(got) != len(ev) or any(not close(num(r[2]), x["heap_after_bytes"] / MIB)
                                      for r, x in zip(got, ev)):
            fail(f"{where}: collections differ from the events")
        if len([x for x in ev if x["generation"] == 2]) >= 2 and len(bl["fit"][2]) != 2:
            fail(f"{where}: fit block must have two rows")
    elif chart == "size-classes":
        for name, _, rows in blocks:
            d = res.get((scen, name))
            if not d:
                continue
            runs = [d["runs"][i] for i in ok_runs(d)]
            for k, r in enumerate(rows):
                tot = sum(x["size_classes"]["rows"][k][2] for x in runs)
                if int(r[2]) != tot:
                    fail(f"{where}: {name} row {k} allocations {r[2]} != {tot}")
            if rows and rows[-1][1] != "NaN":
                fail(f"{where}: the large class must have size_hi NaN")
    elif chart == "gc-share":
        for r in blocks[0][2]:
            d = res[(scen, r[0])]
            tps = [d["runs"][i]["metrics"]["throughput_pct"] for i in ok_runs(d)]
            m = sum(tps) / len(tps)
            if not close(num(r[1]), m):
                fail(f"{where}: {r[0]} mutator_pct {r[1]} != mean throughput {m}")
            if abs(sum(num(x) for x in r[1:5]) - 100) > 0.5:
                fail(f"{where}: {r[0]} shares do not sum to ~100")
    elif chart == "pause-histogram":
        for name, _, rows in blocks:
            d = res.get((scen, name))
            if not d:
                continue
            merged = {}
            for i in ok_runs(d):
                for b in d["runs"][i]["pauses"]["histogram"]["bins"]:
                    merged[(b[0], b[1])] = merged.get((b[0], b[1]), 0) + b[2]
            want = [(lo / 1e6, (hi + 1) / 1e6, c) for (lo, hi), c in sorted(merged.items()) if lo > 0]
            got = [(num(r[0]), num(r[1]), int(r[2])) for r in rows]
            if len(want) != len(got) or not all(close(a[0], b[0]) and close(a[1], b[1]) and a[2] == b[2]
                                                for a, b in zip(want, got)):
                fail(f"{where}: {name} bins differ from the merged histograms")
            if rows and not close(num(rows[-1][4]), 1.0):
                fail(f"{where}: {name} cum_frac must end at 1")
    elif chart == "mmu":
        for name, _, rows in blocks:
            d = res.get((scen, name))
            if not d:
                continue
            mw = d["summary"]["mmu_worst"]
            want = list(zip(mw["windows_ns"], mw["utilization"]))
            if len(rows) != len(want) or any(not close(num(r[0]), w / 1e6) or not close(num(r[1]), u)
                                             for r, (w, u) in zip(rows, want)):
                fail(f"{where}: {name} rows differ from summary.mmu_worst")
    elif chart == "pause-nines":
        keys = {"0.5": "p50", "0.9": "p90", "0.99": "p99", "0.999": "p99_9"}
        for name, _, rows in blocks:
            d = res.get((scen, name))
            if not d or not rows:
                continue
            pp = d["summary"]["pauses_pooled"]["percentiles_ns"]
            for r in rows[:-1]:
                if r[0] in keys and not close(num(r[2]), pp[keys[r[0]]] / 1e6):
                    fail(f"{where}: {name} p{r[0]} {r[2]} != pooled {pp[keys[r[0]]]}")
            if not close(num(rows[-1][2]), pp["max"] / 1e6):
                fail(f"{where}: {name} last row must be the max pause")
    elif chart == "sweep-frontier":
        rows = blocks[0][2]
        tp = [num(r[1]) for r in rows]
        if tp != sorted(tp, key=lambda x: (math.isnan(x), x)):
            fail(f"{where}: rows must be sorted by throughput, NaN last")
        pts = [(num(r[1]), num(r[2]), num(r[3])) for r in rows]
        for i, (a, r) in enumerate(zip(pts, rows)):
            dom = any(b[0] >= a[0] and b[1] <= a[1] and b[2] <= a[2] and b != a
                      for j, b in enumerate(pts) if j != i and rows[j][5] == "ok")
            want = "1" if r[5] == "ok" and not dom else "0"
            if r[4] != want:
                fail(f"{where}: pareto of {r[0]} is {r[4]}, expected {want}")
    elif chart == "sweep-heatmap":
        if blocks[0][0] != "threshold0,threshold1" or len(blocks[0][2]) != 4:
            fail(f"{where}: expected block threshold0,threshold1 with 4 cells")
    elif chart == "pause-work":
        if blocks[-1][0] != "fit":
            fail(f"{where}: the fit block must be last")


def check_export(mmbench, res_dir, out):
    r = run([mmbench, "export", res_dir, "--format", "tsv", "-o", out])
    if r.returncode != 0:
        fail(f"export tsv exit {r.returncode}: {r.stderr}")
        return []
    charts = json.load(open(os.path.join(out, "charts.json")))["charts"]
    res = {}
    for f in os.listdir(res_dir):
        if "__" in f and f.endswith(".json"):
            d = json.load(open(os.path.join(res_dir, f)))
            res[(d["config"]["scenario"]["name"], d["config"]["setting"]["label"])] = d
    files = set(os.listdir(os.path.join(out, "data")))
    if files != {os.path.basename(e["file"]) for e in charts}:
        fail("charts.json and data/ list different files")
    seen = set()
    for e in charts:
        seen.add(e["chart"])
        if e["term"] not in ("svg", "png") or e["name"] + ".tsv" != os.path.basename(e["file"]):
            fail(f"{e['name']}: bad charts entry {e}")
        blocks = parse_tsv(os.path.join(out, e["file"]))
        if sum(len(b[2]) for b in blocks) != e["rows"]:
            fail(f"{e['name']}: rows {e['rows']} != data rows in the file")
        try:
            check_chart(e, blocks, res)
        except (KeyError, IndexError, ValueError) as x:
            fail(f"{e['name']}: {type(x).__name__} {x}")
    want = {"pause-timeline", "pause-histogram", "pause-nines", "mmu", "heap-timeline",
            "heap-collections", "alloc-survival", "gc-share", "size-classes", "pool-util",
            "sweep-heatmap", "sweep-frontier", "frees-split", "pause-work", "nines-ratio"}
    if not want <= seen:
        fail(f"charts missing from the export: {sorted(want - seen)}")
    print(f"checked {len(charts)} TSV files of {len(seen)} charts")
    return charts


def check_formats(mmbench, res_dir, scratch):
    out = os.path.join(scratch, "fmt")
    r = run([mmbench, "export", res_dir, "--format", "trace", "-o", out])
    if r.returncode:
        fail(f"trace exit {r.returncode}: {r.stderr}")
    else:
        t = json.load(open(os.path.join(out, "trace.json")))
        ev = t["traceEvents"]
        if t.get("displayTimeUnit") != "ms" or not ev:
            fail("trace: bad top level")
        pids = {e["pid"] for e in ev}
        names = [e for e in ev if e["ph"] == "M" and e["name"] == "process_name"]
        if len(names) != len(pids):
            fail("trace: one process_name per pid expected")
        for e in ev:
            if e["ph"] == "X" and not (isinstance(e["ts"], (int, float)) and e["dur"] >= 0
                                       and "objects_examined" in e["args"]):
                fail(f"trace: bad X event {e}")
                break
            if e["ph"] == "C" and e["name"] not in ("heap", "rss"):
                fail(f"trace: bad counter {e}")
                break
        if not any(e["ph"] == "X" for e in ev) or not any(e["ph"] == "C" for e in ev):
            fail("trace: pauses and counters expected")
    r = run([mmbench, "export", res_dir, "--format", "csv", "-o", out])
    for f in sorted(os.listdir(res_dir)):
        if "__" not in f or not f.endswith(".json"):
            continue
        d = json.load(open(os.path.join(res_dir, f)))
        rows = list(csv.reader(io.open(os.path.join(out, f[:-5] + ".csv"), newline="")))
        if len(rows) != len(d["runs"]) + 1 or rows[0][:4] != ["scenario", "setting", "run", "status"]:
            fail(f"csv {f}: {len(rows)} rows for {len(d['runs'])} runs")
    one = [f for f in sorted(os.listdir(res_dir)) if "__" in f and f.endswith(".json")][0]
    r = run([mmbench, "export", os.path.join(res_dir, one), "--format", "json-pretty", "-o", "-"])
    if r.returncode or json.loads(r.stdout) != json.load(open(os.path.join(res_dir, one))):
        fail("json-pretty to stdout does not round-trip")


def check_bad_input(mmbench, res_dir, scratch):
    bad = os.path.join(scratch, "bad")
    os.makedirs(bad, exist_ok=True)
    with open(os.path.join(bad, "x__y.json"), "w") as f:
        f.write('{"schema": "mmbench/result/v1"}')
    cases = [[res_dir, "--format", "xml"], [res_dir, "--format", "tsv", "--chart", "nope"],
             [bad, "--format", "tsv"], [os.path.join(scratch, "missing"), "--format", "csv"],
             [res_dir], [res_dir, "--format", "tsv", "-o", "-"]]
    for c in cases:
        out = os.path.join(scratch, "bad-out")
        r = run([mmbench, "export"] + c + (["-o", out] if "-o" not in c else []))
        if r.returncode != 2 or os.path.exists(out) or "error" not in r.stderr:
            fail(f"bad input {c}: exit {r.returncode}, output exists: {os.path.exists(out)}")
    out = os.path.join(scratch, "exists")
    run([mmbench, "export", res_dir, "--format", "tsv", "--chart", "mmu", "-o", out])
    r = run([mmbench, "export", res_dir, "--format", "tsv", "--chart", "mmu", "-o", out])
    if r.returncode != 2:
        fail("existing output without --force must exit 2")
    r = run([mmbench, "export", "--help"])
    if r.returncode or "--format" not in r.stdout:
        fail("export --help")


def check_gnuplot(out, charts):
    if not shutil.which("gnuplot"):
        print("SKIP gnuplot drawing: gnuplot not installed")
        return
    img = os.path.join(out, "img")
    os.makedirs(img, exist_ok=True)
    bad = 0
    for e in charts:
        dst = os.path.join(img, e["name"] + "." + e["term"])
        title = (e["chart"] + " " + e["name"]).replace("'", "")
        try:
            r = run(["gnuplot", "-c", os.path.join(ROOT, "scripts/gnuplot", e["chart"] + ".gp"),
                     os.path.join(out, e["file"]), dst, title, e["term"]],
                    env=dict(os.environ, LC_ALL="C"), timeout=30)
        except subprocess.TimeoutExpired:
            fail(f"gnuplot {e['name']}: timeout")
            continue
        # Real data may leave one layer of a chart empty (a single pause, no infeasible
        # point): gnuplot then warns and still draws. Errors fail; the fixtures' smoke
        # test holds the scripts to zero warnings.
        msg = [ln for ln in r.stderr.splitlines() if "error" in ln.lower()]
        if r.returncode or msg or not os.path.getsize(dst):
            bad += 1
            fail(f"gnuplot {e['chart']}.gp {e['name']}: exit {r.returncode} "
                 f"{(msg or r.stderr.splitlines() or [''])[-1][:160]}")
    print(f"drew {len(charts)} charts, {bad} with gnuplot problems")


def main():
    draw = "--draw" in sys.argv
    if draw:
        sys.argv.remove("--draw")
        if not shutil.which("gnuplot"):
            print("SKIP: gnuplot not installed")
            return 77
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    mmbench, scratch = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    if len(sys.argv) > 3:
        res_dir = os.path.abspath(sys.argv[3])
    else:
        res_dir = os.path.join(scratch, "res")
        with open(os.path.join(scratch, "suite.json"), "w") as f:
            json.dump(SUITE, f)
        r = run([mmbench, "suite", os.path.join(scratch, "suite.json"), "-o", res_dir])
        if r.returncode not in (0, 4):
            print(r.stderr)
            print(f"FAIL: suite exit {r.returncode}")
            return 1
    out1, out2 = os.path.join(scratch, "exp1"), os.path.join(scratch, "exp2")
    charts = check_export(mmbench, res_dir, out1)
    run([mmbench, "export", res_dir, "--format", "tsv", "-o", out2])
    for e in charts:
        a, b = os.path.join(out1, e["file"]), os.path.join(out2, e["file"])
        if not os.path.exists(b) or open(a, "rb").read() != open(b, "rb").read():
            fail(f"{e['file']}: two exports of the same input differ")
            break
    if open(os.path.join(out1, "charts.json"), "rb").read() != \
            open(os.path.join(out2, "charts.json"), "rb").read():
        fail("charts.json differs between two exports")
    check_formats(mmbench, res_dir, scratch)
    check_bad_input(mmbench, res_dir, scratch)
    if draw:
        check_gnuplot(out1, charts)
    print(f"{len(FAIL)} failures" if FAIL else "export test passed")
    return 1 if FAIL else 0


if __name__ == "__main__":
    sys.exit(main())
