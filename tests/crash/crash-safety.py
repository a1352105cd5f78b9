#!/usr/bin/env python3
"""Crash safety (results-and-reports.md 8.3, 8.4.5; issue 9.4).

1. SIGKILL of `mmbench run` at 16 seeded random moments: the output is either absent or a
   complete valid result file (a reader accepts it); stray temp files are never taken for
   results by merge.
2. SIGINT (and SIGTERM) during `mmbench suite`: exit 130 (143); every result file present
   validates, index.json lists exactly them; `--resume` then completes the suite.

usage: crash-safety.py MMBENCH SCRATCH
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

MMBENCH, SCRATCH = os.path.realpath(sys.argv[1]), sys.argv[2]
fails = []


def fail(msg):
    fails.append(msg)
    print("FAIL:", msg)


def reader_ok(path):
    out = os.path.join(SCRATCH, "reader")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    r = subprocess.run([MMBENCH, "merge", out, path], capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def kill_run():
    rng = random.Random(20261124)
    d = os.path.join(SCRATCH, "kill")
    os.makedirs(d)
    out = os.path.join(d, "out.json")
    # how long a full run takes, to spread the kills over its lifetime
    t0 = time.time()
    subprocess.run([MMBENCH, "run", "churn", "--param", "ops=300000", "--repeat", "3",
                    "--warmup", "0", "-o", out], capture_output=True, check=True)
    span = time.time() - t0
    os.unlink(out)
    complete = absent = 0
    for i in range(16):
        p = subprocess.Popen([MMBENCH, "run", "churn", "--param", "ops=300000", "--repeat", "3",
                              "--warmup", "0", "-o", out, "--force"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, span * 1.1))
        p.send_signal(signal.SIGKILL)
        p.wait()
        if os.path.exists(out):
            ok, err = reader_ok(out)
            if not ok:
                fail(f"kill {i}: {out} exists but is not a valid result: {err[:200]}")
            complete += 1
            os.unlink(out)
        else:
            absent += 1
        # the measured children of a killed parent end on their own (pipe closed)
    ok, err = subprocess.run([MMBENCH, "merge", os.path.join(SCRATCH, "m2"), d],
                             capture_output=True, text=True), None
    stray = [f for f in os.listdir(d) if f.startswith(".")]
    print(f"SIGKILL x16: {complete} complete files, {absent} absent, {len(stray)} stray temp files "
          "(ignored by readers)")


SUITE = {"schema": "mmbench/suite/v1", "name": "crash", "baseline": "a",
         "scenarios": [{"name": "churn", "params": {"ops": 150000}},
                       {"name": "cycles", "params": {"n": 60000}},
                       {"name": "trees", "params": {"depth": 12}}],
         "settings": [{"label": "a"}, {"label": "b", "gc": "cpython313"}],
         "measurement": {"repeat": 2, "warmup": 0, "values": 1}}


def results_in(d):
    return sorted(f for f in os.listdir(d) if "__" in f and f.endswith(".json"))


def interrupt_suite(sig, want):
    d = os.path.join(SCRATCH, f"suite-{sig.name}")
    os.makedirs(d)
    spath = os.path.join(d, "suite.json")
    json.dump(SUITE, open(spath, "w"))
    res = os.path.join(d, "res")
    p = subprocess.Popen([MMBENCH, "suite", spath, "-o", res], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:   # wait for the first job's files
        if os.path.isdir(res) and results_in(res):
            break
        time.sleep(0.05)
    p.send_signal(sig)
    _, err = p.communicate(timeout=120)
    if p.returncode != want:
        fail(f"{sig.name}: exit {p.returncode}, expected {want}: {err[-300:]}")
    files = results_in(res)
    if not files or len(files) >= 6:
        fail(f"{sig.name}: expected a partial suite, got {files}")
    for f in files:
        ok, e = reader_ok(os.path.join(res, f))
        if not ok:
            fail(f"{sig.name}: {f} invalid after the interruption: {e[:200]}")
    idx = json.load(open(os.path.join(res, "index.json")))
    if sorted(e["file"] for e in idx["entries"]) != files:
        fail(f"{sig.name}: index.json lists {[e['file'] for e in idx['entries']]}, files {files}")
    r = subprocess.run([MMBENCH, "suite", spath, "-o", res, "--resume"], capture_output=True,
                       text=True)
    if r.returncode != 0:
        fail(f"{sig.name}: --resume exit {r.returncode}: {r.stderr[-300:]}")
    files = results_in(res)
    idx = json.load(open(os.path.join(res, "index.json")))
    if len(files) != 6 or sorted(e["file"] for e in idx["entries"]) != files:
        fail(f"{sig.name}: after --resume files {files}, index {len(idx['entries'])}")
    print(f"{sig.name} during a suite: exit {p.returncode}, consistent index; --resume completed "
          f"{len(files)} files")


shutil.rmtree(SCRATCH, ignore_errors=True)
os.makedirs(SCRATCH)
kill_run()
interrupt_suite(signal.SIGINT, 130)
interrupt_suite(signal.SIGTERM, 143)
print(f"{len(fails)} failures")
sys.exit(1 if fails else 0)
