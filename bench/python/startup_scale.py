"""Start-up against pool size: for each P, Pool(P) until every worker has run a task, a map over all of them, terminate()."""
import argparse
import time
import multiprocessing

from common import report
from workloads import square


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--processes", default="2,8,16,64", help="comma-separated pool sizes")
    a = p.parse_args()
    for n in [int(x) for x in a.processes.split(",")]:
        t = time.perf_counter()
        pool = multiprocessing.Pool(n)
        # Python's workers are ready when they have started; a map with chunksize 1 over 4n items reaches every one.
        items = list(range(n * 4))
        assert pool.map(square, items, 1) == [x * x for x in items]
        done = time.perf_counter() - t
        t = time.perf_counter()
        pool.terminate()
        pool.join()
        report(f"processes_{n}", "map_done", round(done, 3), "s")
        report(f"processes_{n}", "terminate", round(time.perf_counter() - t, 3), "s")


if __name__ == "__main__":
    main()
