"""Time the main job's pieces from Python: the full wifund.project call (policy resolution, input
building, C++ projection, result wrapping) and the bare C++ call on a pre-built input.

    python benchmarks/python/projection.py
"""
import time

import wifund
from wifund import _core
from wifund.projection import build_input


def best(fn, repeat=20):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    prov = wifund.Province.demo()
    policy = wifund.Policy.load("jilin")
    a = wifund.Assumptions.default()
    inp, _ = build_input(prov, policy, a, 30)
    t_full = best(lambda: wifund.project(prov, policy, a, years=30))
    t_build = best(lambda: build_input(prov, policy, a, 30))
    t_core = best(lambda: _core.project(inp))
    t_frames = best(lambda: wifund.project(prov, policy, a, years=30).by_city, repeat=5)
    print(f"{'step':45s} {'best of runs':>14s}")
    print(f"{'wifund.project (30 years, demo province)':45s} {t_full * 1e3:11.1f} ms")
    print(f"{'  of which build_input (resolve policy, data)':45s} {t_build * 1e3:11.1f} ms")
    print(f"{'  of which _core.project (C++, GIL released)':45s} {t_core * 1e3:11.1f} ms")
    print(f"{'project + by_city long frame':45s} {t_frames * 1e3:11.1f} ms")


if __name__ == "__main__":
    main()
