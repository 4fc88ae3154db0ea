"""Idle cost: a ready Pool(P) left idle; CPU (% of one core) and threads of the parent and of each worker process."""
import argparse
import os
import time
import multiprocessing

from common import report, rss_mib
from workloads import square

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--processes", type=int, default=2)
    p.add_argument("--seconds", type=float, default=30)
    a = p.parse_args()
    with multiprocessing.Pool(a.processes) as pool:
        pool.map(square, range(a.processes * 4), 1)  # every worker has run something
        time.sleep(2)
        pids = [os.getpid()] + [w.pid for w in pool._pool]
        before = {pid: cpu_seconds(pid) for pid in pids}
        time.sleep(a.seconds)
        used = {pid: (cpu_seconds(pid) - before[pid]) / a.seconds * 100 for pid in pids}
        workers = pids[1:]
        report("idle_cpu", "coordinator", round(used[pids[0]], 3), "%")
        report("idle_cpu", "worker_max", round(max(used[w] for w in workers), 3), "%")
        report("idle_cpu", "coordinator_threads", threads(pids[0]), "threads")
        report("idle_cpu", "worker_threads", max(threads(w) for w in workers), "threads")
        report("idle_cpu", "worker_rss", round(max(rss_mib(w) for w in workers), 1), "MiB")


if __name__ == "__main__":
    main()
