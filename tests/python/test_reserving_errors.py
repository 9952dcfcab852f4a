"""wifund.reserving.TriangleError carries the place of a bad triangle cell as data (segment, origin,
age labels), raised from C++ (reserving/triangle.hpp triangle_error) without parsing the message;
and the triangle operations are the core's, with the numbers of the NumPy formulas they replaced."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wifund.reserving as wr
from wifund import _core

DATA = Path(__file__).resolve().parents[1] / "data" / "triangles"


@pytest.fixture(scope="module")
def raa() -> wr.Triangle:
    df = pd.read_csv(DATA / "raa.csv")
    return wr.Triangle.from_frame(df, origin="origin", development="development", value="values")


def test_triangle_error_is_the_cores_value_error() -> None:
    assert wr.TriangleError is _core.reserving.TriangleError
    assert issubclass(wr.TriangleError, ValueError)
    assert wr.TriangleError.__module__ == "wifund._core.reserving"


def test_single_triangle_cell_error_has_labels() -> None:
    v = np.array([[1.0, np.nan, 3.0], [1.0, 2.0, np.nan], [1.0, np.nan, np.nan]])
    with pytest.raises(wr.TriangleError, match="hole at origin 2001, age 2") as info:
        wr.Triangle.from_array(v, origin=[2001, 2002, 2003])
    e = info.value
    assert (e.segment, e.origin, e.age) == (None, 2001, 2)
    assert str(e) == e.reason


def test_whole_row_error_has_no_age() -> None:
    with pytest.raises(wr.TriangleError, match="origin 1 has no observed value") as info:
        wr.Triangle.from_array([[1.0, 2.0], [np.nan, np.nan]])
    assert (info.value.segment, info.value.origin, info.value.age) == (None, 1, None)


def test_stack_cell_error_names_segment_label(raa: wr.Triangle) -> None:
    v = np.stack([raa.values, raa.values, raa.values])
    v[2, 3, 1] = np.inf
    with pytest.raises(wr.TriangleError) as info:
        wr.Triangle.from_array(v, origin=range(1981, 1991), segments=pd.Index(["Baicheng", "Siping", "Jilin"]))
    e = info.value
    assert (e.segment, e.origin, e.age) == ("Jilin", 1984, 2)
    assert str(e) == f"segment Jilin: {e.reason}"
    assert "origin 1984, age 2 = inf is not finite" in e.reason


def test_method_error_in_a_segment_is_placed(raa: wr.Triangle) -> None:
    v = np.stack([raa.values, raa.values])
    v[1, 0, 8] = 0.0
    stack = wr.Triangle.from_array(v, origin=range(1981, 1991), segments=pd.Index(["Baicheng", "Siping"], name="city"))
    with pytest.raises(wr.TriangleError, match="^segment Siping: chain_ladder: zero denominator at age 9") as info:
        wr.chain_ladder(stack)
    e = info.value
    assert e.segment == "Siping" and e.origin is None and e.age is None
    assert e.reason.startswith("chain_ladder: zero denominator at age 9")
    # One triangle: no segment prefix, no segment.
    with pytest.raises(wr.TriangleError, match="^chain_ladder: zero denominator") as one:
        wr.chain_ladder(stack["Siping"])
    assert one.value.segment is None


def test_triangle_operations_match_the_numpy_formulas(raa: wr.Triangle) -> None:
    # The formulas wifund.reserving used before the core's operations replaced them.
    cum = raa.values
    inc = cum.copy()
    inc[:, 1:] = cum[:, 1:] - cum[:, :-1]
    np.testing.assert_array_equal(raa.to_incremental().values, inc)
    np.testing.assert_array_equal(raa.to_incremental().to_cumulative().values, np.cumsum(inc, axis=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(cum[:, :-1] != 0, cum[:, 1:] / cum[:, :-1], np.nan)
    np.testing.assert_array_equal(raa.link_ratios().to_numpy(), ratios)
    cl = wr.chain_ladder(raa)
    full = cum.copy()
    ldf = cl.factors["age_to_age"].to_numpy()[:-1]  # the last age holds the tail
    for i, n in enumerate((~np.isnan(cum)).sum(axis=1)):
        for j in range(n, full.shape[1]):
            full[i, j] = full[i, j - 1] * ldf[j - 1]
    got = cl.full_triangle()
    np.testing.assert_allclose(got.drop(columns="ultimate").to_numpy(), full, rtol=1e-12, atol=0)
    np.testing.assert_allclose(got["ultimate"].to_numpy(), full[:, -1] * cl.tail, rtol=1e-12, atol=0)
