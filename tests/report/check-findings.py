#!/usr/bin/python3
"""The finding rules of results-and-reports.md 7.2 hold on every setting, not only the
baseline, and F-UNSTABLE fires for any warning of severity "warning".

usage: check-findings.py MMBENCH RESULTS_DIR REPORT_DIR SCRATCH

A result file's summary and warnings are a cache (2.1): `mmbench report` recomputes
them from the runs (and meta). So the rules are judged here on recomputed files, which
`mmbench merge` writes (it recomputes the same way, bench_result_finish), never on what
a file stores.

1. On REPORT_DIR (the report of RESULTS_DIR): for every result and every per-setting rule
   that holds on it (judged on RESULTS_DIR recomputed into SCRATCH/res-rules-recomputed),
   the scenario has a finding of that rule whose evidence lists the setting, and every
   setting a finding lists meets the rule.
2. A doctored copy of RESULTS_DIR (SCRATCH/res-doctored-rules) edits the source data,
   the runs and meta, and leaves the stored summaries and warnings stale:
   - GC share 62% on one non-baseline setting A of the first scenario, below 10% on
     every other setting (the runs' gc_time_share and throughput_pct);
   - refcount share 99.9% on A, 50% everywhere else (the runs' frees split);
   - MMU(10 ms) 0.3 on one non-baseline setting B of the last scenario, none below 0.9
     elsewhere (the runs' mmu windows and utilization);
   - meta.host.cpu_governor 'powersave' on B (W_GOVERNOR, severity warning) and
     'performance' elsewhere; load, users and the build type neutral everywhere (no
     W_LOAD, no W_DEBUG_BUILD).
   It is reported (SCRATCH/rep-doctored-rules) and recomputed by merge
   (SCRATCH/res-doctored-rules-recomputed); the recomputed files must show the doctoring,
   the report is checked as in 1, and it must give exactly one F-GC-SHARE and one
   F-RC-DOMINANT (A), one F-MMU (B), and W_GOVERNOR in F-UNSTABLE under B only. Other
   warnings of severity warning that the runs themselves raise (W_CV_HIGH, W_OBSERVER,
   W_SHORT_VALUE, ...) may fire: F-UNSTABLE is expected wherever the recomputed
   warnings have one (checked in 1's way), not assumed absent.
Exit 0 when all hold, 1 with one line per problem.
"""
import json
import os
import shutil
import subprocess
import sys

FAIL = []
MS = 1_000_000
TEN_MS = 10 * MS
WINDOWS_TO_10MS = [MS, 2 * MS, 5 * MS, TEN_MS]  # bs_mmu_windows up to 10 ms


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
    """{rule id: True} for the per-setting rules of 7.2 that hold on this result (whose
    summary and warnings must be recomputed ones)."""
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


def recomputed(mmbench, res, dst):
    """The result files of res with summaries and warnings recomputed from their runs,
    as the report does: `mmbench merge dst res` (one file per pair, nothing to
    concatenate; bench_result_finish). None when merge fails."""
    shutil.rmtree(dst, ignore_errors=True)
    p = subprocess.run([mmbench, "merge", dst, res], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"merge of {res} into {dst} exited {p.returncode}: {p.stderr.strip()[-300:]}")
        return None
    docs = load_results(dst)
    if set(docs) != set(load_results(res)):
        fail(f"merge of {res} gave {sorted(docs)}, not the pairs of {res}")
        return None
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


def check_rules(docs, rep, where):
    """docs: the recomputed results of the report rep."""
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


# ---- doctoring the source data (runs and meta), never the summary or warnings ----

def set_gc_share(run, share):
    m = run["metrics"]
    m["gc_time_share"] = share
    m["throughput_pct"] = 100.0 * (1.0 - share)


def set_frees(run, by_refcount, by_gc):
    m = run["metrics"]
    m["frees_by_refcount"], m["frees_by_gc"] = by_refcount, by_gc
    m["frees"] = by_refcount + by_gc  # result_check.c: frees = refcount + gc


def set_mmu(run, low):
    """low: every window up to 10 ms (added where the run was shorter) at most 0.3, so
    mmu_10ms is 0.3 or less; else every window of 10 ms or more at least 0.9 (a run
    shorter than 10 ms keeps having no mmu_10ms). Windows stay ascending, both arrays
    the same length."""
    m = run["mmu"]
    u = dict(zip(m["windows_ns"], m["utilization"]))
    if low:
        for w in WINDOWS_TO_10MS:
            u[w] = min(u.get(w, 0.3), 0.3)
    else:
        for w in u:
            if w >= TEN_MS:
                u[w] = max(u[w], 0.9)
    m["windows_ns"] = sorted(u)
    m["utilization"] = [u[w] for w in m["windows_ns"]]


def defines_ndebug(cflags):
    """warnings_env.c cflags_define_ndebug: the last -DNDEBUG[=...] or -UNDEBUG wins."""
    on = False
    for f in (cflags or "").split():
        if f == "-DNDEBUG" or f.startswith("-DNDEBUG="):
            on = True
        elif f == "-UNDEBUG":
            on = False
    return on


def set_environment(doc, governor):
    """W_GOVERNOR unless governor is 'performance'; no W_LOAD, no W_DEBUG_BUILD."""
    host, tool = doc["meta"]["host"], doc["meta"]["tool"]
    host["cpu_governor"] = governor
    host["load_avg_1m"] = 0.0
    host["users_logged_in"] = 0
    tool["build_type"] = "release"
    if not defines_ndebug(tool.get("cflags")):
        tool["cflags"] = (tool.get("cflags") or "") + " -DNDEBUG"


def doctor(src, dst):
    """Copy src to dst with the per-setting rules holding off the baseline only: A =
    (first scenario, its first non-baseline setting), B = (last scenario, same)."""
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
        is_a, is_b = (scen, setting) == (a, a1), (scen, setting) == (b, b1)
        set_environment(d, "powersave" if is_b else "performance")
        for r in d["runs"]:
            if r["status"] != "ok":
                continue
            set_gc_share(r, 0.62 if is_a else min(r["metrics"]["gc_time_share"], 0.05))
            set_frees(r, *((999, 1) if is_a else (50, 50)))
            set_mmu(r, low=is_b)
        # summary and warnings are left as they were: a stale cache the report ignores
    for (scen, setting), d in docs.items():
        with open(os.path.join(dst, f"{scen}__{setting}.json"), "w") as f:
            json.dump(d, f)
            f.write("\n")
    return base, (a, a1), (b, b1)


def check_doctoring(docs, a, b):
    """The recomputed doctored files show the doctoring (else the expectations on the
    findings below would test nothing)."""
    for key, d in sorted(docs.items()):
        share, mmu = med(d, "gc_time_share"), med(d, "mmu_10ms")
        rc, gc = med(d, "frees_by_refcount"), med(d, "frees_by_gc")
        codes = {w["code"] for w in d["warnings"] if w.get("severity") == "warning"}
        ok = ((share == 0.62) == (key == a) and share is not None and
              (key == a or share < 0.10) and
              (rc, gc) == ((999, 1) if key == a else (50, 50)) and
              (mmu is not None and mmu <= 0.3 if key == b else mmu is None or mmu >= 0.9) and
              ("W_GOVERNOR" in codes) == (key == b) and
              not codes & {"W_LOAD", "W_DEBUG_BUILD"})
        if not ok:
            fail(f"doctored {key} recomputes to gc_time_share {share}, frees {rc}/{gc}, "
                 f"mmu_10ms {mmu}, warnings {sorted(codes)}: not the doctoring")


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
    # F-UNSTABLE: one per scenario with some warning of severity warning (checked against
    # the recomputed warnings by check_rules); W_GOVERNOR is in B's and nowhere else.
    unstable = only(findings, "F-UNSTABLE")
    mine = [f for f in unstable if f["scenario"] == b[0]]
    gov = [(f["scenario"], e["setting"]) for f in unstable
           for e in f["evidence"]["settings"]
           if any(w["code"] == "W_GOVERNOR" for w in e["warnings"])]
    if len(mine) != 1 or b[1] not in names("F-UNSTABLE", b[0])[0] or gov != [b] or \
            f"W_GOVERNOR under {b[1]}: CPU frequency governor is 'powersave'" \
            not in mine[0]["text"] or \
            any("W_GOVERNOR" in f["text"] for f in unstable if f is not mine[0]):
        fail(f"doctored: want one F-UNSTABLE for {b[0]} naming {b[1]} for W_GOVERNOR "
             f"(there only), got {[(f['scenario'], f['text']) for f in unstable]}")
    for f in unstable:
        if "W_LOAD" in f["text"] or "W_DEBUG_BUILD" in f["text"]:
            fail(f"doctored: F-UNSTABLE for {f['scenario']} shows a neutralised warning: "
                 f"{f['text']}")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    mmbench, res, rep, scratch = sys.argv[1:]
    docs = recomputed(mmbench, res, os.path.join(scratch, "res-rules-recomputed"))
    if docs is None:
        return 1
    check_rules(docs, rep, "report")
    # Not "res-doctored"/"rep-doctored": report-e2e.sh uses those.
    dres = os.path.join(scratch, "res-doctored-rules")
    drep = os.path.join(scratch, "rep-doctored-rules")
    base, a, b = doctor(res, dres)
    shutil.rmtree(drep, ignore_errors=True)
    p = subprocess.run([mmbench, "report", dres, "-o", drep], capture_output=True, text=True)
    if p.returncode != 0:
        fail(f"report of the doctored results exited {p.returncode}: {p.stderr.strip()[-300:]}")
        return 1
    ddocs = recomputed(mmbench, dres, os.path.join(scratch, "res-doctored-rules-recomputed"))
    if ddocs is None:
        return 1
    check_doctoring(ddocs, a, b)
    findings = check_rules(ddocs, drep, "doctored")
    check_doctored(findings, base, a, b)
    if FAIL:
        return 1
    print(f"findings ok: every per-setting rule covered ({len(findings)} findings on the "
          f"doctored copy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
