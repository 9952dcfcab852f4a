"""Bad input to wifund.valuation (issue #11, item 2): each case runs in a forked child
(tests/python/badinput.py) and the message must name the row or the argument, the field and the bad
value."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import pytest

import wifund
from wifund import valuation

from badinput import Case, check


@functools.cache
def demo() -> wifund.Province:
    return wifund.Province.demo()


def rec(**kw: Any) -> pd.DataFrame:
    row: dict[str, Any] = dict(
        city="Jingcheng", kind="spouse", grade=0, care_level="", sex="F", birth_date="1970-05-01",
        award_date="2015-01-01", monthly_amount=900.0,
    )  # fmt: skip
    row.update(kw)
    return pd.DataFrame([row])


def table(**kw: Any) -> pd.DataFrame:
    row: dict[str, Any] = dict(
        city="Jingcheng", kind="spouse", grade=0, care_level="", sex="F", age=54, count=2.0, monthly_amount=900.0,
        pension=0.0, award_year=2015, retired=0, lone=0,
    )  # fmt: skip
    row.update(kw)
    return pd.DataFrame([row])


def v(frame: pd.DataFrame, **kw: Any) -> Any:
    return valuation.value(frame, province=demo(), **kw)


CASES = [
    Case("birth-after-date", lambda: v(rec(birth_date="2025-03-01")), ValueError, ("row 0", "birth_date", "2025-03")),
    Case("award-before-birth", lambda: v(rec(award_date="1969-01-01")), ValueError, ("row 0", "award_date", "1969-01")),
    Case("award-after-date", lambda: v(rec(award_date="2025-02-01")), ValueError, ("row 0", "award_date", "2025-02")),
    Case("birth-not-a-date", lambda: v(rec(birth_date="soon")), ValueError, ("row 0", "birth_date", "soon")),
    Case("unknown-kind", lambda: v(table(kind="widow")), ValueError, ("kind", "widow")),
    Case("unknown-kind-record", lambda: v(rec(kind="cousin")), ValueError, ("kind", "cousin")),
    Case("age-above-table", lambda: v(table(age=130)), ValueError, ("age", "130")),
    Case("age-past-table", lambda: v(table(age=110)), ValueError, ("row 0", "age", "110", "CL6")),
    Case("age-negative", lambda: v(table(age=-2)), ValueError, ("age", "-2")),
    Case("negative-count", lambda: v(table(count=-1.0)), ValueError, ("count", "-1")),
    Case("unknown-city", lambda: v(table(city="Atlantis")), ValueError, ("city", "Atlantis")),
    Case("record-missing-column", lambda: v(rec().drop(columns="award_date")), ValueError, ("award_date",)),
    Case("discount-negative", lambda: v(table(), discount=-0.01), ValueError, ("discount[0]", "-0.01")),
    Case("discount-path", lambda: v(table(), discount=[0.03, -0.2]), ValueError, ("discount[1]", "-0.2")),
    Case("discount-text", lambda: v(table(), discount="3%"), ValueError, ("discount", "3%")),
    Case("date-july", lambda: v(table(), valuation_date="2025-07-01"), ValueError, ("valuation_date", "1 January")),
    Case("date-before-base", lambda: v(table(), valuation_date=2020), ValueError, ("valuation_date", "2020")),
    Case("date-garbage", lambda: v(table(), valuation_date="tomorrow"), ValueError, ("valuation_date", "tomorrow")),
    Case("mortality-load-negative", lambda: v(table(), mortality_load=-1.0), ValueError, ("mortality_load", "-1")),
    Case("horizon-zero", lambda: v(table(), horizon=0), ValueError, ("horizon", "0")),
    Case("not-a-frame", lambda: valuation.value([1], province=demo()), TypeError, ("beneficiaries",)),  # type: ignore
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_valuation(case: Case) -> None:
    check(case)
