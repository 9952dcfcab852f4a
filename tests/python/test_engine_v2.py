"""Engine v2 (issue #8): the context is built once, pickled (Dask-ready), shared between threads;
scenarios rerun at the cost of the C++ run; the fund-summary sink and project_many agree with the full
projection bit for bit; no axis literal or axis-name list is left outside core/axes.hpp and _core.

Dask is not installed: the Dask-ready round trip is tested as a pickle round trip and a
``concurrent.futures.ProcessPoolExecutor`` (spawn) round trip, which is what shipping a context to a
worker does."""

import concurrent.futures as cf
import multiprocessing
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

import wifund
from wifund import _bridge, _core

ROOT = Path(__file__).resolve().parents[2]


def same_raw(a: dict, b: dict) -> bool:
    assert a.keys() == b.keys()
    return all(np.array_equal(np.asarray(a[k]), np.asarray(b[k])) for k in a)


@pytest.fixture(scope="module")
def built(demo):
    policy = wifund.Policy.load("jilin")
    ctx, scenario, _ = _bridge.build_context(demo, policy, wifund.Assumptions.default(), 30)
    return ctx, scenario


def _project_pickled(payload: bytes) -> dict:
    ctx, scenario = pickle.loads(payload)
    return _core.fund.project(ctx, scenario)


def test_context_pickle_round_trip_is_bit_identical(built):
    ctx, scenario = built
    again = pickle.loads(pickle.dumps(ctx))
    assert again.format_version == _core.fund.context_format_version
    assert again.years == 30 and again.start_year == 2025 and again.cities == ctx.cities
    assert same_raw(_core.fund.project(again, scenario), _core.fund.project(ctx, scenario))
    s2 = pickle.loads(pickle.dumps(scenario))
    assert same_raw(_core.fund.project(ctx, s2), _core.fund.project(ctx, scenario))
    state = ctx.__getstate__()
    with pytest.raises(ValueError, match="format version"):
        _core.fund.Context.__new__(_core.fund.Context).__setstate__((state[0] + 1, state[1]))


def test_process_pool_round_trip(built):
    """Dask ships work by pickling; a spawned process pool does the same without Dask."""
    ctx, scenario = built
    expected = _core.fund.project(ctx, scenario)
    payload = pickle.dumps((ctx, scenario))
    with cf.ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(_project_pickled, [payload, payload]))
    for r in results:
        assert same_raw(r, expected)


def test_same_context_from_threads_is_bit_identical(built):
    ctx, scenario = built
    expected = _core.fund.project(ctx, scenario)
    with cf.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: _core.fund.project(ctx, scenario), range(8)))
    for r in results:
        assert same_raw(r, expected)


def test_projection_keeps_its_context_and_reruns(demo):
    policy = wifund.Policy.load("jilin")
    base = wifund.project(demo, policy, years=15)
    assert base.context is not None and base.context.years == 15
    assert same_raw(base.rerun().raw, base.raw)
    # New economic paths: the rerun equals a fresh projection, bit for bit.
    a = wifund.Assumptions(
        paths={"wage_growth": {2025: 0.07, 2030: 0.03}, "interest_rate": 0.025},
        city_paths={"collection_rate": {"Xihe": 0.85}},
    )
    assert same_raw(base.rerun(a).raw, wifund.project(demo, policy, a, years=15).raw)
    # A new claims basis too (the context is rebuilt with the new claims, the policy reused).
    b = wifund.Assumptions(claims={"death_share": 0.02, "payment_pattern": [0.5, 0.5]})
    rerun = base.rerun(b)
    assert same_raw(rerun.raw, wifund.project(demo, policy, b, years=15).raw)
    assert rerun.assumptions is b
    pd_fund = rerun.fund  # the labelled frames work on a rerun
    assert list(pd_fund.index) == list(range(2025, 2040))
    # A ready scenario.
    s = _bridge.build_scenario(demo, a, _bridge.projection_years(demo, 15))
    assert same_raw(base.rerun(scenario=s).raw, wifund.project(demo, policy, a, years=15).raw)
    with pytest.raises(ValueError, match="either scenario"):
        base.rerun(a, scenario=s)
    # A start after the base year: the skipped years are projected and the rerun reports the same span.
    late = wifund.project(demo, policy, start=2027, years=5)
    assert list(late.rerun(a).fund.index) == list(range(2027, 2032))
    assert same_raw(late.rerun(a).raw, wifund.project(demo, policy, a, start=2027, years=5).raw)


def test_rerun_rate_multiplier_scales_contributions(demo):
    policy = wifund.Policy.load("jilin")
    base = wifund.project(demo, policy, years=3)
    half = base.rerun(rate_multiplier=[0.5] * 9)
    reform = wifund.project(
        demo,
        policy.override({"contribution.base_rate": [0.001, 0.002, 0.0035, 0.0045, 0.0055, 0.0065, 0.008, 0.0095]}),
        years=3,
    )
    np.testing.assert_allclose(half.fund.contributions.iloc[0], reform.fund.contributions.iloc[0], rtol=1e-12)
    np.testing.assert_allclose(half.fund.contributions.iloc[0], base.fund.contributions.iloc[0] / 2, rtol=1e-12)
    more = base.rerun(incidence_multiplier=1.5)
    assert (more.fund.expenditure > base.fund.expenditure).all()
    with pytest.raises(ValueError, match="rate_multiplier|base rate"):
        base.rerun(rate_multiplier=[1e6] * 9)


def test_summary_sink_equals_full_sink(built):
    ctx, scenario = built
    full = _core.fund.project(ctx, scenario)
    summary = _core.fund.project(ctx, scenario, sink="summary")
    assert set(summary) == {"start_year", "years", *_core.fund.fund_summary_vectors}
    for name in _core.fund.fund_summary_vectors:
        assert np.array_equal(summary[name], full[name]), name
    with pytest.raises(ValueError, match="sink"):
        _core.fund.project(ctx, scenario, sink="nonsense")


def _scenarios(demo, n):
    years = _bridge.projection_years(demo, 30)
    out = []
    for i in range(n):
        a = wifund.Assumptions(paths={"wage_growth": 0.03 + 0.002 * i, "interest_rate": 0.01 + 0.001 * (i % 7)})
        out.append(_bridge.build_scenario(demo, a, years))
    return out


def test_project_many_is_deterministic_across_thread_counts(demo, built):
    ctx, _ = built
    scenarios = _scenarios(demo, 13)
    one = _core.fund.project_many(ctx, scenarios, threads=1)
    for threads in (2, 3, 8):
        other = _core.fund.project_many(ctx, scenarios, threads=threads)
        for name in _core.fund.fund_summary_vectors:
            assert np.array_equal(one[name], other[name]), (name, threads)
    for i in (0, 6, 12):
        single = _core.fund.project(ctx, scenarios[i], sink="summary")
        for name in _core.fund.fund_summary_vectors:
            assert np.array_equal(one[name][i], single[name]), (name, i)
    assert one["closing"].shape == (13, 30)


def test_make_context_rejects_reversed_pairs(demo):
    """Issue #7: a reversed own-wage clamp never reaches std::clamp, whatever the Python layer does."""
    policy = wifund.Policy.load("jilin")
    a = wifund.Assumptions.default()
    years = _bridge.projection_years(demo, 3)
    resolved, _ = _bridge.resolve_policy(policy, years)
    rules = resolved[1].benefits
    rules.base_clamp = [3.0, 0.6]
    resolved[1].benefits = rules
    with pytest.raises(ValueError, match=r"base_clamp.*2026.*\[3, 0\.59"):
        _core.fund.make_context(
            _bridge.build_base(demo), resolved, _bridge.build_claims(a, years), _bridge.build_mortality(a), 3
        )


def test_axes_come_from_core():
    from wifund import benefits, projection, province

    assert province.RISK_CLASSES == list(_core.axes.risk_classes) == ["1", "2", "3", "4", "5", "6", "7", "8", "U"]
    assert province.BENEFIT_KINDS == list(_core.axes.benefit_kinds)
    assert province.CARE_LEVELS == list(_core.axes.care_levels) == list(benefits.CARE_LEVELS)
    assert projection.EXPENDITURE_ITEMS == list(_core.axes.expenditure_items)
    assert list(_core.axes.short_term_items) == list(_core.axes.expenditure_items)[:9]
    assert list(_core.axes.sexes) == ["M", "F"]


# Axis-name lists written out in Python: a whole axis (or its short-term part) as a list or tuple
# literal. (wifund.report's ITEM_GROUPS groups item names for a chart; it is a display mapping, not a
# copy of the axis. province.py's sex check still writes ("M", "F") inline: that line belongs to the
# input-validation work and is left to it; wifund.province.SEXES now carries the axis.)
_KNOWN = {("python/wifund/province.py", '("M", "F"')}


def _axis_lists():
    axes = [
        _core.axes.risk_classes,
        _core.axes.benefit_kinds,
        _core.axes.care_levels,
        _core.axes.revenue_items,
        _core.axes.expenditure_items,
        _core.axes.short_term_items,
        _core.axes.sexes,
    ]
    return [r"[\[(]\s*" + r",\s*".join(re.escape(f'"{n}"') for n in axis) for axis in axes]


def test_no_axis_name_list_in_python():
    offenders = []
    files = sorted((ROOT / "python" / "wifund").glob("*.py")) + sorted((ROOT / "benchmarks" / "python").glob("*.py"))
    for path in files:
        text = path.read_text(encoding="utf-8").replace("'", '"')
        for pat in _axis_lists():
            for m in re.finditer(pat, text):
                if (str(path.relative_to(ROOT)), m.group(0)) in _KNOWN:
                    continue
                offenders.append(f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}")
    assert not offenders, "axis names must be read from _core:\n" + "\n".join(offenders)


# Literal axis indices in the engine: a subscript with a number ([13], [g - 1]), an item or class
# assigned or compared to a number (item = 9, k == 8), the old inc[0..8], loop bounds of axis sizes.
_CPP_LITERALS = [
    r"\[\s*\d+\s*\]",
    r"\[\s*\w+\s*[-+]\s*\d+\s*\]",
    r"\b(item|kind|k|cls)\s*=\s*[1-9]\d*\s*;",
    r"\b(item|kind|k|g|l)\s*==\s*\d+",
    r"\binc\[\s*\d",
    r"<\s*(3|4|6|9|10|13|14)\s*;",
    r"<=\s*(4|10)\s*;",
]


def test_no_literal_axis_index_in_the_engine():
    offenders = []
    for folder in ("fund", "claims"):
        for path in sorted((ROOT / "include" / "wifund" / folder).glob("*.hpp")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("//")[0]
                for pat in _CPP_LITERALS:
                    if re.search(pat, code):
                        offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "use the named indices of core/axes.hpp:\n" + "\n".join(offenders)
