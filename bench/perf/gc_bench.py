"""GC benchmark peer (not a test): the shapes of gc_bench.c built and timed in CPython.
usage: python3.11 gc_bench.py CASE N   (prints one JSON row)"""
import gc
import json
import sys
import time


def timed_full_collect(n):
    t0 = time.perf_counter_ns()
    gc.collect(2)
    return (time.perf_counter_ns() - t0) / n


def chain(n):
    gc.disable()
    head = []
    for _ in range(n - 1):
        head = [head]
    return timed_full_collect(n)


class Obj:
    pass


def instances(n):
    gc.disable()
    keep = []
    for _ in range(n):
        o = Obj()
        o.x = []
        keep.append(o)
    return timed_full_collect(3 * n)


def cycles(n):
    gc.disable()
    for _ in range(n // 2):
        a, b = [], []
        a.append(b)
        b.append(a)
    del a, b
    return timed_full_collect(n)


def young(n):
    pauses, t0 = [], [0]

    def cb(phase, info):
        if phase == "start":
            t0[0] = time.perf_counter_ns()
        elif info["generation"] == 0:
            pauses.append(time.perf_counter_ns() - t0[0])

    ring = []
    gc.collect()
    gc.callbacks.append(cb)
    for i in range(n):
        ring.append([1])
        if i % 10000 == 9999:
            ring.clear()
    gc.callbacks.remove(cb)
    pauses.sort()
    return {"case": "young-pause", "n": n, "impl": "cpython3.11", "collections": len(pauses),
            "pause_p50_us": pauses[len(pauses) // 2] / 1e3,
            "pause_p99_us": pauses[int(len(pauses) * 0.99)] / 1e3}


def tree(depth):
    return [tree(depth - 1), tree(depth - 1)] if depth > 0 else []


def bintrees(depth, on):
    (gc.enable if on else gc.disable)()
    t0 = time.perf_counter_ns()
    longlived = tree(depth)
    for d in range(4, depth + 1, 2):
        for _ in range(1 << (depth - d + 4)):
            tree(d)
    del longlived
    return (time.perf_counter_ns() - t0) / 1e6


def main():
    case, n = sys.argv[1], int(sys.argv[2])
    if case == "young":
        row = young(n)
    elif case.startswith("bintrees"):
        row = {"case": case, "n": n, "impl": "cpython3.11", "ms": bintrees(n, case == "bintrees-on")}
    else:
        ns = {"chain": chain, "instances": instances, "cycles": cycles}[case](n)
        row = {"case": "full-" + case, "n": n, "impl": "cpython3.11", "ns_per_obj": ns}
    print(json.dumps(row))


if __name__ == "__main__":
    main()
