"""User code as real batches write it: a book of options valued on a binomial tree over curve and surface objects.

Serial in this process, pool.map on Pool(1) and on Pool(P), each the best of --repeat runs (serial first, then the two pools in turn): per-process throughput and speedup, as the C# realwork
suite (bench/ClusterPool.Bench/RealWork) measures them. The same market, book and pricer; fewer tree steps, so that a
trade takes milliseconds here too.
"""
import argparse
import math
import multiprocessing
import os
import time

from common import report


class NelsonSiegelCurve:
    def __init__(self, level, slope, curvature, tau):
        self.level, self.slope, self.curvature, self.tau = level, slope, curvature, tau

    def zero_rate(self, t):
        if t < 1e-9:
            return self.level + self.slope
        x = t / self.tau
        decay = (1 - math.exp(-x)) / x
        return self.level + self.slope * decay + self.curvature * (decay - math.exp(-x))

    def discount(self, t):
        return math.exp(-self.zero_rate(t) * t)

    def forward_rate(self, t1, t2):
        return math.log(self.discount(t1) / self.discount(t2)) / (t2 - t1)


class SkewSurface:
    def __init__(self, atm, skew, smile, term_slope):
        self.atm, self.skew, self.smile, self.term_slope = atm, skew, smile, term_slope

    def volatility(self, spot, strike, t):
        m = math.log(strike / spot)
        return max(0.05, self.atm + self.term_slope * (t - 1) + self.skew * m + self.smile * m * m)


class VanillaPayoff:
    def __init__(self, strike, is_call):
        self.strike, self.is_call = strike, is_call

    def value(self, spot):
        return max(spot - self.strike if self.is_call else self.strike - spot, 0.0)


class OptionTrade:
    def __init__(self, id, spot, strike, maturity, is_call, american):
        self.id, self.spot, self.strike, self.maturity, self.is_call, self.american = id, spot, strike, maturity, is_call, american

    def with_spot(self, spot):
        return OptionTrade(self.id, spot, self.strike, self.maturity, self.is_call, self.american)


def book(count):
    return [OptionTrade(i, 100.0, 70.0 + i % 61, 0.25 + i % 8 * 0.25, i % 2 == 0, i % 3 != 0) for i in range(count)]


class BinomialPricer:
    BUMP = 0.01

    def __init__(self, curve, surface, steps):
        self.curve, self.surface, self.steps = curve, surface, steps

    def value(self, trade):
        payoff = VanillaPayoff(trade.strike, trade.is_call)
        up = self.price(trade.with_spot(trade.spot * (1 + self.BUMP)), payoff)
        mid = self.price(trade, payoff)
        down = self.price(trade.with_spot(trade.spot * (1 - self.BUMP)), payoff)
        h = trade.spot * self.BUMP
        return (trade.id, mid, (up - down) / (2 * h), (up - 2 * mid + down) / (h * h))

    def price(self, trade, payoff):
        steps = self.steps
        dt = trade.maturity / steps
        vol = self.surface.volatility(trade.spot, trade.strike, trade.maturity)
        u = math.exp(vol * math.sqrt(dt))
        d = 1 / u
        values = []
        spot = trade.spot * d ** steps
        for _ in range(steps + 1):
            values.append(payoff.value(spot))
            spot *= u * u
        for i in range(steps - 1, -1, -1):
            t = i * dt
            growth = math.exp(self.curve.forward_rate(t, t + dt) * dt)
            p = (growth - d) / (u - d)
            discount = 1 / growth
            layer = []
            spot = trade.spot * d ** i
            for j in range(i + 1):
                held = discount * (p * values[j + 1] + (1 - p) * values[j])
                layer.append(max(held, payoff.value(spot)) if trade.american else held)
                spot *= u * u
            values = layer
        return values[0]


PRICER = None


def init(steps):
    global PRICER
    PRICER = BinomialPricer(NelsonSiegelCurve(0.045, -0.01, 0.02, 2.0), SkewSurface(0.22, -0.15, 0.3, -0.02), steps)


def value(trade):
    return PRICER.value(trade)


WARM_UP = 100


def warm_pool(processes, steps):
    pool = multiprocessing.Pool(processes, initializer=init, initargs=(steps,))
    pool.map(value, book(WARM_UP * processes), chunksize=1)
    return pool


def time_map(pool, trades, serial):
    t = time.perf_counter()
    out = pool.map(value, trades)
    seconds = time.perf_counter() - t
    assert out == serial, "pool.map differs from the serial valuations"
    return seconds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--trades", type=int, default=1500)
    p.add_argument("--steps", type=int, default=85)
    p.add_argument("--processes", type=int, default=os.cpu_count())
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    trades = book(a.trades)
    init(a.steps)
    serial = [value(trade) for trade in trades]  # also the warm-up
    # Serially first, before any pool starts, then the two pools in turn; each the best of --repeat (as the C# side).
    t_serial = t_one = t_many = float("inf")
    for _ in range(a.repeat):
        t = time.perf_counter()
        for trade in trades:
            value(trade)
        t_serial = min(t_serial, time.perf_counter() - t)
    with warm_pool(1, a.steps) as one, warm_pool(a.processes, a.steps) as many:
        for _ in range(a.repeat):
            t_one = min(t_one, time_map(one, trades, serial))
            t_many = min(t_many, time_map(many, trades, serial))
    report("realwork", "trade_ms", round(t_serial / a.trades * 1000, 2), "ms")
    report("realwork", "serial", round(t_serial, 3), "s")
    report("realwork", "pool_1", round(t_one, 3), "s")
    report("realwork", f"pool_{a.processes}", round(t_many, 3), "s")
    report("realwork", "per_process", round(t_serial / t_one, 3), "x")
    report("realwork", "speedup", round(t_serial / t_many, 3), "x")
    report("realwork", "efficiency", round(t_serial / t_many / a.processes, 3), "")


if __name__ == "__main__":
    main()
