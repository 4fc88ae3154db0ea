"""Stragglers: the straggler suite's Map on Python's pool, one machine. Pool(16) with four of its worker processes
slowed to a fifth of their speed (SIGSTOP for 80 ms of every 100 ms, as the C# side slows its fourth machine), against
Pool(12) of healthy processes (the ideal's stand-in): 1,200 items of ~110 ms (100 steps of a little arithmetic over a
fresh list of 32 prices and a 1-ms sleep), chunksize 10, Maps of 1,000, 1,150 and 1,300 items each way (where the slow
processes' last chunks end depends on the size; the figures are the mean over the sizes of each run against its ideal). Python's pool has no backup copies: its
figure is the one to set beside ClusterPool's with them off and on."""
import argparse
import math
import multiprocessing
import os
import signal
import statistics
import threading
import time

from common import report


def price_steps(item, steps=100):
    t = time.perf_counter()
    total = 0.0
    for _ in range(steps):
        prices = [100 + math.sin(item + i) for i in range(32)]
        total += sum(prices) / len(prices)
        if steps > 1:
            time.sleep(0.001)
    return total / steps, time.perf_counter() - t


def duty_cycle(pids, run_fraction, period, stop):
    """Lets the processes run for run_fraction of each period and stops them for the rest, until stop is set."""
    while not stop.is_set():
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
        if stop.wait(period * run_fraction):
            break
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        stop.wait(period * (1 - run_fraction))
    for pid in pids:
        os.kill(pid, signal.SIGCONT)


def timed_map(pool, items, chunksize):
    t = time.perf_counter()
    results = pool.map(price_steps, range(items), chunksize=chunksize)
    wall = time.perf_counter() - t
    assert all(abs(r[0] - price_steps(i, 1)[0]) < 1e-9 for i, r in enumerate(results))
    return wall, [r[1] for r in results]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,1150,1300")
    parser.add_argument("--chunksize", type=int, default=10)
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(12) as pool:
        pool.map(price_steps, range(sizes[0] // 4), chunksize=args.chunksize)
        healthy = [timed_map(pool, n, args.chunksize)[0] for n in sizes]
    with ctx.Pool(16) as pool:
        pool.map(price_steps, range(sizes[0] // 4), chunksize=args.chunksize)
        slow = [p.pid for p in pool._pool[:4]]  # a quarter of the processes: the "slow machine"
        stop = threading.Event()
        throttle = threading.Thread(target=duty_cycle, args=(slow, 0.2, 0.1, stop), daemon=True)
        throttle.start()
        try:
            runs = [timed_map(pool, n, args.chunksize) for n in sizes]
        finally:
            stop.set()
            throttle.join()
    item = statistics.median(s for _, seconds in runs for s in seconds)
    ideal = [n * item / 12 for n in sizes]
    off = [wall for wall, _ in runs]
    case = "stragglers_map"
    report(case, "item_ms_median", round(item * 1000, 1), "ms")
    report(case, "ideal_3_healthy_machines", round(sum(ideal), 2), "s")
    report(case, "wall_3_healthy_machines", round(sum(healthy), 2), "s")
    report(case, "wall_speculation_off", round(sum(off), 2), "s")
    report(case, "healthy_vs_ideal", round(statistics.mean(h / i for h, i in zip(healthy, ideal)), 3), "x")
    report(case, "off_vs_ideal", round(statistics.mean(o / i for o, i in zip(off, ideal)), 3), "x")


if __name__ == "__main__":
    main()
