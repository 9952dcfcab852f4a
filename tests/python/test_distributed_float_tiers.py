"""Experience rating on Dask (issue #13 item 5): ``wifund.distributed.float_tiers`` over the row groups of a
Parquet file, a directory of Parquet files and a dask DataFrame gives the rows of the in-process
``wifund.ratesetting.float_tiers`` bit for bit and its revenue by city and class to rounding (a tree
reduction of the partitions' sums, 1e-12 relative); bad input is reported as in-process."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wifund import ratesetting as R

distributed = pytest.importorskip("distributed")
pytest.importorskip("pyarrow")
from wifund import distributed as wd  # noqa: E402


def _employers(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "employer": [f"e{i}" for i in range(n)],
            "risk_class": rng.integers(1, 9, n),
            "city": rng.choice(["X", "Y", "Z", "W"], n),
            "contributions": rng.uniform(1.0, 1e5, n),
            "benefits": rng.uniform(0, 1.5e5, n) * (rng.random(n) < 0.5),
            "injuries": rng.integers(0, 5, n).astype(float),
            "insured": rng.integers(1, 500, n).astype(float),
            "years_insured": rng.uniform(0, 6, n),
            "zero_previous_cycle": rng.random(n) < 0.1,
        }
    )


@pytest.fixture(scope="module")
def client():
    # processes=False: two in-process workers (a process start costs seconds on this machine)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as lc:
        with distributed.Client(lc) as c:
            yield c


def _same(local: R.FloatResult, remote: R.FloatResult) -> None:
    pd.testing.assert_frame_equal(remote.employers, local.employers, check_exact=True)
    lr, rr = local.revenue, remote.revenue
    assert list(rr.columns) == list(lr.columns)
    pd.testing.assert_frame_equal(rr[["city", "risk_class", "employers"]], lr[["city", "risk_class", "employers"]])
    for col in ("contributions", "new_contributions"):
        np.testing.assert_allclose(rr[col], lr[col], rtol=1e-12, atol=0)
    # the effect is a difference of sums: compare it on the scale of the sums it comes from
    np.testing.assert_allclose(
        rr["revenue_effect"], lr["revenue_effect"], rtol=0, atol=1e-12 * lr["contributions"].max()
    )


@pytest.mark.parametrize("schedule", ["jiangsu", "shenzhen", "national_71"])
def test_parquet_row_groups_identical_to_in_process(tmp_path, client, schedule):
    f = _employers(20_000, 1)
    path = tmp_path / "employers.parquet"
    f.to_parquet(path, row_group_size=2_500)
    local = R.float_tiers(path, schedule)
    remote = wd.float_tiers(path, schedule, client=client, rows_per_task=5_000, fan_in=2)
    _same(local, remote)
    # not the same numbers by accident: the revenue moved, and 4 tasks (2 row groups each) summed their parts
    assert (local.revenue["revenue_effect"] != 0).any()
    assert len(wd._parquet_parts(path, 5_000)) == 4


def test_parquet_directory_and_base_rates(tmp_path, client):
    parts = [_employers(3_000, s) for s in (2, 3, 4)]
    d = tmp_path / "ds"
    d.mkdir()
    for k, p in enumerate(parts):
        p.to_parquet(d / f"part-{k}.parquet", row_group_size=1_000)
    rates = [0.002 * (k + 1) for k in range(8)]
    local = R.float_tiers(pd.read_parquet(d), "jiangsu", base_rates=rates)
    remote = wd.float_tiers(d, "jiangsu", client=client, base_rates=rates, rows_per_task=1_000)
    _same(local, remote)
    # the revenue of the whole is the sum of the revenue of the files, by hand
    by_file = pd.concat([R.float_tiers(p, "jiangsu", base_rates=rates).revenue for p in parts])
    hand = by_file.groupby(["city", "risk_class"])["contributions"].sum()
    got = remote.revenue.set_index(["city", "risk_class"])["contributions"]
    np.testing.assert_allclose(got.loc[hand.index], hand, rtol=1e-12)


def test_dask_dataframe_input(client):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(_employers(6_000, 7), npartitions=5)
    # against the table as dask holds it (dask may turn object strings into its own string dtype)
    local = R.float_tiers(ddf.compute(), "shenzhen")
    remote = wd.float_tiers(ddf, "shenzhen", client=client)
    assert ddf.npartitions == 5
    _same(local, remote)


def test_bad_input_is_reported_as_in_process(tmp_path, client):
    f = _employers(4_000, 8)
    f.loc[3_100, "contributions"] = -5.0
    path = tmp_path / "bad.parquet"
    f.to_parquet(path, row_group_size=1_000)
    with pytest.raises(ValueError, match=r"float_tiers: contributions for employer 'e3100' = -5\.0: must be finite"):
        wd.float_tiers(path, "jiangsu", client=client, rows_per_task=1_000)
    with pytest.raises(TypeError, match="an in-memory DataFrame: use wifund.ratesetting.float_tiers"):
        wd.float_tiers(f, client=client)
    with pytest.raises(FileNotFoundError, match="nowhere.parquet"):
        wd.float_tiers(tmp_path / "nowhere.parquet", client=client)
    with pytest.raises(ValueError, match="fan_in"):
        wd.float_tiers(path, client=client, fan_in=1)
