"""Workers that retire: maxtasksperchild of 1 and of 10, a map of 40 CPU-busy tasks of 20 ms at chunksize 1."""
import argparse
import os
import time
import multiprocessing

from common import report
from workloads import busy_wait

TASKS, TASK_MS = 40, 20


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--processes", type=int, default=os.cpu_count())
    a = p.parse_args()
    for per_child in (1, 10):
        with multiprocessing.Pool(a.processes, maxtasksperchild=per_child) as pool:
            pool.map(busy_wait, [0] * a.processes, 1)  # the workers are up, as ClusterPool's side waits for them
            t = time.perf_counter()
            done = pool.map(busy_wait, [TASK_MS] * TASKS, 1)
            report("recycle", f"per_child_{per_child}", round(time.perf_counter() - t, 3), "s")
            assert done == [TASK_MS] * TASKS


if __name__ == "__main__":
    main()
