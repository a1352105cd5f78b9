#!/usr/bin/python3
"""The finding rules of results-and-reports.md 7.2 hold on every setting, not only the
baseline, and F-UNSTABLE fires for any warning of severity "warning".

usage: check-findings.py MMBENCH RESULTS_DIR REPORT_DIR SCRATCH

1. On REPORT_DIR (the report of RESULTS_DIR): for every result and every per-setting rule
   that holds on it, the scenario has a finding of that rule whose evidence lists the
   setting, and every setting a finding lists meets the rule.
2. A doctored copy of RESULTS_DIR in SCRATCH (rules made to hold on non-baseline settings
   only, every warning replaced by one W_GOVERNOR of severity warning and one W_FEW_RUNS
   of severity info) is reported, checked as in 1, and must give exactly the findings the
   doctoring implies.
Exit 0 when all hold, 1 with one line per problem.
"""
import json
import os
import shutil
import subprocess
import sys

FAIL = []


def fail(msg):
    FAIL.append(msg)
    print("FAIL", msg)


def med(doc, metric):
    m = doc["summary"]["metrics"].get(metric) or {}
    return m.get("median")


def gen_sums(doc, key):
    out = [0.0, 0.0, 0.0]
    for r in doc["runs"]:
        if r["status"] != "ok":
            continue
        for g, v in enumerate(r["metrics"]["gc"][key]):
            out[g] += v or 0
    return out


def holds(doc):
    """{rule id: True} for the per-setting rules of 7.2 that hold on this result."""
    out = {}
    share, mmu = med(doc, "gc_time_share"), med(doc, "mmu_10ms")
    rc, gc = med(doc, "frees_by_refcount") or 0, med(doc, "frees_by_gc") or 0
    if share is not None and share >= 0.10:
        out["F-GC-SHARE"] = True
    if mmu is not None and mmu < 0.5:
        out["F-MMU"] = True
    if rc + gc > 0 and rc / (rc + gc) >= 0.99:
        out["F-RC-DOMINANT"] = True
    if sum(gen_sums(doc, "uncollectable")) > 0:
        out["F-UNCOLLECTABLE"] = True
    if any(w.get("severity") == "warning" for w in doc["warnings"]):
        out["F-UNSTABLE"] = True
    t = gen_sums(doc, "time_ns")
    if sum(t) > 0 and (share or 0) >= 0.01:
        for g in range(3):
            if t[g] >= 0.5 * sum(t):
                out[f"F-GEN-DOMINANT/{g}"] = True
    return out


def load_results(res):
    docs = {}
    for name in sorted(os.listdir(res)):
        if name.endswith(".json") and "__" in name:
            d = json.load(open(os.path.join(res, name), encoding="utf-8"))
            docs[(d["config"]["scenario"]["name"], d["config"]["setting"]["label"])] = d
    return docs


def covered(findings, rule, scen):
    """Settings that findings of rule (id or id/generation) name for scen."""
    rid, _, gen = rule.partition("/")
    sets = set()
    for f in findings:
        if f["id"] != rid or f["scenario"] != scen:
            continue
        if gen and str(f["evidence"].get("generation")) != gen:
            continue
        for e in f["evidence"].get("settings", []):
            sets.add(e.get("setting"))
    return sets


def check_rules(res, rep, where):
    docs = load_results(res)
    findings = json.load(open(os.path.join(rep, "findings.json")))["findings"]
    compare = json.load(open(os.path.join(rep, "compare.json")))
    expect = {}
    for (scen, setting), d in docs.items():
        for rule in holds(d):
            expect.setdefault((rule, scen), set()).add(setting)
    for row in compare.get("lbo", []):
        if row.get("lbo") is not None and row["lbo"] >= 0.10:
            expect.setdefault(("F-LBO", row["scenario"]), set()).add(row["setting"])
    rules = {r for r, _ in expect} | {"F-GC-SHARE", "F-MMU", "F-RC-DOMINANT",
                                      "F-UNCOLLECTABLE", "F-UNSTABLE", "F-LBO",
                                      "F-GEN-DOMINANT/0", "F-GEN-DOMINANT/1",
                                      "F-GEN-DOMINANT/2"}
    for rule in sorted(rules):
        for scen in sorted({s for s, _ in docs}):
            want = expect.get((rule, scen), set())
            got = covered(findings, rule, scen)
            if want - got:
                fail(f"{where}: {rule} holds for {scen} under {sorted(want - got)} but no "
                     f"finding names it (findings name {sorted(got)})")
            if got - want:
                fail(f"{where}: {rule} for {scen} names {sorted(got - want)}, where it does "
                     f"not hold")
    return findings


def set_median(doc, metric, value):
    doc["summary"]["metrics"].setdefault(metric, {})["median"] = value


def doctor(src, dst):
    """Copy src to dst with per-setting rules holding off the baseline only."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    suite = json.load(open(os.path.join(dst, "suite.json")))
    base = suite["baseline"]
    docs = load_results(dst)
    scens = sorted({s for s, _ in docs})
    others = {s: sorted(k for (sc, k) in docs if sc == s and k != base) for s in scens}
    a, b = scens[0], scens[-1]
    a1, b1 = others[a][0], others[b][0]
    for (scen, setting), d in docs.items():
        d["warnings"] = []
        set_median(d, "gc_time_share", 0.0)
        set_median(d, "mmu_10ms", 0.9)
        set_median(d, "frees_by_refcount", 50)
        set_median(d, "frees_by_gc", 50)
        if (scen, setting) == (a, a1):
            set_median(d, "gc_time_share", 0.62)
            set_median(d, "frees_by_refcount", 999)
            set_median(d, "frees_by_gc", 1)
        if (scen, setting) == (b, b1):
            set_median(d, "mmu_10ms", 0.3)
            d["warnings"].append({"code": "W_GOVERNOR", "severity": "warning",
                                  "message": "cpufreq governor is 'powersave', not "
                                             "'performance'", "metric": None, "run": None,
                                  "value": None, "threshold": None})
        if (scen, setting) == (a, a1) or setting == base:
            d["warnings"].append({"code": "W_FEW_RUNS", "severity": "info",
                                  "message": "5 ok runs; 10 or more give tighter intervals",
                                  "metric": None, "run": None, "value": 5.0,
                                  "threshold": 10.0})
    for (scen, setting), d in docs.items():
        with open(os.path.join(dst, f"{scen}__{setting}.json"), "w") as f:
            json.dump(d, f)
            f.write("\n")
    return base, (a, a1), (b, b1)


def only(findings, rid):
    return [f for f in findings if f["id"] == rid]


def check_doctored(findings, base, a, b):
    def names(rid, scen):
        return [sorted(e["setting"] for e in f["evidence"]["settings"])
                for f in only(findings, rid) if f["scenario"] == scen]

    if names("F-GC-SHARE", a[0]) != [[a[1]]] or len(only(findings, "F-GC-SHARE")) != 1:
        fail(f"doctored: want one F-GC-SHARE, for {a} (baseline {base} below 10%), got "
             f"{[(f['scenario'], f['setting']) for f in only(findings, 'F-GC-SHARE')]}")
    if names("F-MMU", b[0]) != [[b[1]]] or len(only(findings, "F-MMU")) != 1:
        fail(f"doctored: want one F-MMU, for {b}, got "
             f"{[(f['scenario'], f['setting']) for f in only(findings, 'F-MMU')]}")
    if names("F-RC-DOMINANT", a[0]) != [[a[1]]] or len(only(findings, "F-RC-DOMINANT")) != 1:
        fail(f"doctored: want one F-RC-DOMINANT, for {a}, got "
             f"{[(f['scenario'], f['setting']) for f in only(findings, 'F-RC-DOMINANT')]}")
    unstable = only(findings, "F-UNSTABLE")
    if len(unstable) != 1 or unstable[0]["scenario"] != b[0] or \
            names("F-UNSTABLE", b[0]) != [[b[1]]] or "W_GOVERNOR" not in unstable[0]["text"]:
        fail(f"doctored: want one F-UNSTABLE, for {b} and W_GOVERNOR (severity warning; "
             f"W_FEW_RUNS is info), got {[(f['scenario'], f['text']) for f in unstable]}")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    mmbench, res, rep, scratch = sys.argv[1:]
    check_rules(res, rep, "report")
    dres, drep = os.path.join(scratch, "res-doctored"), os.path.join(scratch, "rep-doctored")
    base, a, b = doctor(res, dres)
    shutil.rmtree(drep, ignore_errors=True)
    p = subprocess.run([mmbench, "report", dres, "-o", drep], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"report of the doctored results exited {p.returncode}: {p.stderr.strip()[-300:]}")
        return 1
    findings = check_rules(dres, drep, "doctored")
    check_doctored(findings, base, a, b)
    if FAIL:
        return 1
    print(f"findings ok: every per-setting rule covered ({len(findings)} findings on the "
          f"doctored copy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
