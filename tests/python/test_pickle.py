"""User objects survive pickling (needed to ship work to Dask workers) and give the same projection."""

import pickle

import pandas as pd

import wifund


def test_round_trip_gives_same_projection(demo):
    policy = wifund.Policy.load("jilin").override({"reserve.ratio": 0.05})
    a = wifund.Assumptions(paths={"wage_growth": {2025: 0.04}})
    p2, pol2, a2 = (pickle.loads(pickle.dumps(o)) for o in (demo, policy, a))
    pd.testing.assert_frame_equal(
        wifund.project(p2, pol2, a2, years=5).fund, wifund.project(demo, policy, a, years=5).fund, check_exact=True
    )
    proj = pickle.loads(pickle.dumps(wifund.project(demo, years=3)))
    assert list(proj.fund.index) == [2025, 2026, 2027]
    assert pickle.loads(pickle.dumps(policy.at("2025-07-01")))["reserve.ratio"] == 0.05
