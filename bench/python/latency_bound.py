"""Latency-bound work: CPU-busy tasks of a few milliseconds, one at a time, on Pool(1) and Pool(2).

busy_wait tasks of 1, 4 and 16 ms through imap and imap_unordered (chunksize 1) and through one apply_async per task
(then every result got), as the C# latency_bound suite (bench/ClusterPool.Bench/LatencyBoundSuite.cs) sends them.
Each cell's figure is its efficiency: the ideal time (tasks x ms / processes) over the wall time.
"""
import argparse
import multiprocessing
import time

from common import report
from workloads import busy_wait

MILLISECONDS = [1, 4, 16]
METHODS = ["imap", "imap_unordered", "apply_async"]
WARM_UP_TASKS_PER_PROCESS = 300  # of 0.1 ms, as the C# side (which needs them for its JIT)


def send(pool, method, ms, tasks):
    items = [ms] * tasks
    if method == "imap":
        return list(pool.imap(busy_wait, items, 1))
    if method == "imap_unordered":
        return list(pool.imap_unordered(busy_wait, items, 1))
    return [r.get() for r in [pool.apply_async(busy_wait, (x,)) for x in items]]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tasks", type=int, default=1500, help="busy-wait tasks per cell")
    p.add_argument("--processes", default="1,2", help="pool sizes, comma-separated; one pool each")
    a = p.parse_args()
    for processes in [int(x) for x in a.processes.split(",")]:
        with multiprocessing.Pool(processes) as pool:
            for method in METHODS:
                send(pool, method, 0.1, WARM_UP_TASKS_PER_PROCESS * processes)
            time.sleep(0.5)
            for method in METHODS:
                for ms in MILLISECONDS:
                    t = time.perf_counter()
                    out = send(pool, method, ms, a.tasks)
                    seconds = time.perf_counter() - t
                    assert len(out) == a.tasks and all(r == ms for r in out), f"{method} {ms} ms: wrong results"
                    ideal = a.tasks * ms / 1000 / processes
                    report(f"latency_{method}_{ms}ms_p{processes}", "efficiency", round(ideal / seconds, 3), "")


if __name__ == "__main__":
    main()
