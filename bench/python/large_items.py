"""Large items: map at chunksize 1 over items of 2 MiB of values each; MB of items per second (echo: each item goes
there and back)."""
import argparse
import datetime
import multiprocessing
import time

from common import report
from workloads import echo, last_close, sum_of

ITEMS, VALUES_PER_ITEM = 48, 2 * 1024 * 1024 // 8
ITEM_MB = 2 * 1024 * 1024 / 1e6


def prices(item):
    return [100 + item + i % 1000 * 0.01 for i in range(VALUES_PER_ITEM)]


def series(item):
    start = datetime.datetime(2000, 1, 1)
    return (f"T{item}", [start + datetime.timedelta(days=i) for i in range(VALUES_PER_ITEM // 2)],
            [100 + item + i % 1000 * 0.01 for i in range(VALUES_PER_ITEM // 2)])


def best(pool, repeat, make, fn):
    """The best time of repeat rounds over fresh items, after one round not counted; every round's results checked."""
    best_time = float("inf")
    for round_ in range(repeat + 1):
        items = [make(i) for i in range(ITEMS)]
        t = time.perf_counter()
        results = pool.map(fn, items, chunksize=1)
        seconds = time.perf_counter() - t
        assert results == [fn(item) for item in items], "map over large items returned wrong results"
        if round_ > 0:
            best_time = min(best_time, seconds)
    return best_time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--processes", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    with multiprocessing.Pool(a.processes) as pool:
        arrays = best(pool, a.repeat, prices, sum_of)
        records = best(pool, a.repeat, series, last_close)
        both_ways = best(pool, a.repeat, prices, echo)
    report("large_double_arrays", "mb_per_s", round(ITEMS * ITEM_MB / arrays, 1), "MB/s")
    report("large_records", "mb_per_s", round(ITEMS * ITEM_MB / records, 1), "MB/s")
    report("large_arrays_both_ways", "mb_per_s", round(ITEMS * ITEM_MB / both_ways, 1), "MB/s")


if __name__ == "__main__":
    main()
