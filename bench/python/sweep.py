"""Throughput against tasks per call: map (default chunksize), imap (chunksize 1), apply_async one by one."""
import argparse
import multiprocessing
import os

from common import best_throughput
from workloads import square

PER_ITEM_LIMIT = 100_000  # imap chunksize 1 and apply_async stop here: past it they take minutes


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1000,10000,100000,1000000", help="comma-separated tasks per call")
    p.add_argument("--processes", type=int, default=os.cpu_count())
    p.add_argument("--repeat", type=int, default=3, help="runs per case; the best counts")
    a = p.parse_args()
    with multiprocessing.Pool(a.processes) as pool:
        pool.map(square, range(100))  # warm up: workers started
        for n in [int(x) for x in a.sizes.split(",")]:
            expected = sum(x * x for x in range(n))

            def timed(name, run):
                best_throughput(name, n, a.repeat, run, lambda out: len(out) == n and sum(out) == expected)

            timed(f"map_n{n}", lambda: pool.map(square, range(n)))
            if n > PER_ITEM_LIMIT:
                continue
            timed(f"imap_chunk1_n{n}", lambda: list(pool.imap(square, range(n), 1)))
            timed(f"apply_async_n{n}", lambda: [r.get() for r in [pool.apply_async(square, (x,)) for x in range(n)]])


if __name__ == "__main__":
    main()
