"""Share: a 256 MiB array of doubles given to every worker process as initargs (Python's way to share a large input:
pickled once per process under spawn), read by tasks that each take the volatility of one 1 MiB slice. One machine,
four processes: the bytes pickled for the workers, what their memory grew by (against the array's size), and the
median task time (thread CPU time, as the C# side measures)."""
import argparse
import math
import multiprocessing
import pickle
import time
from array import array

from common import report, rss_mib

_prices = None


def init(prices):
    global _prices
    _prices = prices


def pid(_):
    import os
    return os.getpid()


def volatility(bounds):
    start, count = bounds
    t = time.thread_time()
    p = _prices
    total = squares = 0.0
    for i in range(start + 1, start + count):
        r = math.log(p[i] / p[i - 1])
        total += r
        squares += r * r
    n = count - 1
    variance = (squares - total * total / n) / (n - 1)
    return math.sqrt(variance * 252), (time.thread_time() - t) * 1000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--processes", type=int, default=4)
    p.add_argument("--tasks", type=int, default=256)
    a = p.parse_args()
    elements = 32 << 20
    prices = array("d", (100 + math.sin(i * 1e-3) for i in range(elements)))
    value_mib = elements * 8 / (1 << 20)
    pickled = len(pickle.dumps(prices, protocol=pickle.HIGHEST_PROTOCOL))
    ctx = multiprocessing.get_context("spawn")
    slice_ = elements // a.tasks
    with ctx.Pool(a.processes) as idle:
        idle.map(pid, range(64), chunksize=1)
        before = sum(rss_mib(w.pid) for w in idle._pool)
    t = time.perf_counter()
    with ctx.Pool(a.processes, initializer=init, initargs=(prices,)) as pool:
        pool.map(pid, range(64), chunksize=1)
        results = pool.map(volatility, [(i * slice_, slice_) for i in range(a.tasks)], chunksize=1)
        wall = time.perf_counter() - t
        after = sum(rss_mib(w.pid) for w in pool._pool)
    times = sorted(ms for _, ms in results)
    report("share_256mib", "bytes_sent", round(pickled * a.processes / (1 << 30), 3), "GiB")
    report("share_256mib", "bytes_per_process_x_value", round(pickled / (elements * 8), 2), "x")
    report("share_256mib", "machine_copies", round((after - before) / value_mib, 2), "x")
    report("share_256mib", "task_ms_median", round(times[len(times) // 2], 2), "ms")
    report("share_256mib", "map_wall", round(wall, 2), "s")


if __name__ == "__main__":
    main()
