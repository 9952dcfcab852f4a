"""Before/after check of the deterministic projection (brief `book`): every output array of the C++
projection (full sink) and of the base-year replay, for the demo under each bundled policy (and the
flat-by-grade indexation mode), a 90-city replicated demo and random provinces (the hypothesis strategy
of tests/python/test_projection.py, drawn once and pickled with the results).

    PYTHONPATH=python python benchmarks/python/projection_check.py --save build/check/before.pkl
    PYTHONPATH=python python benchmarks/python/projection_check.py --compare build/check/before.pkl

``--compare`` prints the largest relative difference (|a - b| / max(|a|, |b|), 0 where both are 0) of
every case and fails above ``--tol`` (default 1e-12).
"""

from __future__ import annotations

import argparse
import importlib
import pickle
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import wifund
from wifund import _core
from wifund._bridge import build_context

_replay = importlib.import_module("wifund.replay")  # the module (wifund.replay is also a function)


def _replicated(copies: int) -> wifund.Province:
    """The demo with each city replicated ``copies`` times (as benchmarks/python/run_outputs.py makes it)."""
    demo = wifund.Province.demo()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo.to_dir(folder)
        for name in ("cities", "insured", "beneficiaries"):
            frame = pd.read_csv(folder / f"{name}.csv", comment="#")
            reps = []
            for k in range(copies):
                part = frame.copy()
                part["city"] = part["city"].astype(str) + (f"-{k}" if k else "")
                reps.append(part)
            pd.concat(reps, ignore_index=True).to_csv(folder / f"{name}.csv", index=False)
        return wifund.Province.from_dir(folder)


def _cases(random_provinces: list[Any]) -> list[tuple[str, Any, Any, Any, int]]:
    demo = wifund.Province.demo()
    jilin = wifund.Policy.load("jilin")
    cases: list[tuple[str, Any, Any, Any, int]] = [
        ("demo/jilin/30", demo, jilin, wifund.Assumptions.default(), 30),
        ("demo/national/30", demo, wifund.Policy.load("national"), wifund.Assumptions.default(), 30),
        ("demo/ningxia/30", demo, wifund.Policy.load("ningxia"), wifund.Assumptions.default(), 30),
        (
            "demo/jilin-flat_by_grade/30",
            demo,
            jilin.override({"benefits.indexation.mode": "flat_by_grade"}),
            wifund.Assumptions.default(),
            30,
        ),
        ("demo/jilin/50", demo, jilin, wifund.Assumptions(paths={"wage_growth": 0.03}), 50),
        ("demo90/jilin/30", _replicated(10), jilin, wifund.Assumptions.default(), 30),
    ]
    for i, p in enumerate(random_provinces):
        pol = wifund.Policy.load(p.default_policy)
        cases.append((f"random{i}/{p.default_policy}/15", p, pol, wifund.Assumptions.default(), 15))
    return cases


def _run(province: Any, policy: Any, a: Any, years: int) -> dict[str, np.ndarray]:
    ctx, scenario, _ = build_context(province, policy, a, years)
    raw = _core.fund.project(ctx, scenario)
    out = {k: np.asarray(v, dtype=float) for k, v in raw.items() if isinstance(v, np.ndarray)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            frame, _ = _replay.replay_messages(province, _replay.base_year_rules(policy), 0.05, a)
            for col in frame.columns:
                if pd.api.types.is_numeric_dtype(frame[col]):
                    out[f"replay.{col}"] = frame[col].to_numpy(dtype=float)
        except (ValueError, KeyError):
            pass
    return out


def _random_provinces(n: int) -> list[Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "python"))
    from test_projection import provinces  # noqa: PLC0415

    found: list[Any] = []
    while len(found) < n:
        found.append(provinces().example())
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--save")
    ap.add_argument("--compare")
    ap.add_argument("--random", type=int, default=8)
    ap.add_argument("--tol", type=float, default=1e-12)
    args = ap.parse_args()
    if args.save:
        randoms = _random_provinces(args.random)
        results = {name: _run(p, pol, a, y) for name, p, pol, a, y in _cases(randoms)}
        Path(args.save).parent.mkdir(parents=True, exist_ok=True)
        with open(args.save, "wb") as f:
            pickle.dump({"randoms": randoms, "results": results}, f)
        print(f"saved {len(results)} cases to {args.save}")
        return
    with open(args.compare, "rb") as f:
        before = pickle.load(f)
    worst = 0.0
    for name, p, pol, a, y in _cases(before["randoms"]):
        old, new = before["results"][name], _run(p, pol, a, y)
        if set(old) != set(new):
            raise SystemExit(f"{name}: outputs differ: {sorted(set(old) ^ set(new))}")
        case = 0.0
        for k in old:
            x, z = old[k], new[k]
            if x.shape != z.shape:
                raise SystemExit(f"{name}: {k} shape {x.shape} -> {z.shape}")
            scale = np.maximum(np.abs(x), np.abs(z))
            d = np.where(scale > 0, np.abs(x - z) / np.where(scale > 0, scale, 1.0), 0.0)
            nan = np.isnan(x) != np.isnan(z)
            if nan.any():
                raise SystemExit(f"{name}: {k} NaN pattern differs")
            case = max(case, float(np.nanmax(d)) if d.size else 0.0)
        worst = max(worst, case)
        print(f"{name:32s} max relative difference {case:.3g} ({len(old)} arrays)")
    print(f"overall max relative difference {worst:.3g}")
    if worst > args.tol:
        raise SystemExit(f"above tolerance {args.tol}")


if __name__ == "__main__":
    main()
