"""Bad input to wifund.life (issue #11, item 1): every case runs in a forked child
(tests/python/badinput.py), and asserts the exception type and that the message names the field and
the bad value. Ages outside a table raise IndexError (design §4: std::out_of_range); wrong types raise
InputTypeError (a TypeError and a ValueError); every other bad value raises ValueError.
"""

from __future__ import annotations

import numpy as np
import pytest

import wifund.life as wl
from wifund._checks import InputTypeError

from badinput import Case, check

NAN = float("nan")


def cl(name: str = "CL1") -> wl.LifeTable:
    return wl.LifeTable.china_2010_2013(name)


def q_with(k: int, value: float, n: int = 30) -> list[float]:
    q = [0.01] * (n - 1) + [1.0]
    q[k] = value
    return q


CASES = [
    # ---- ages outside the table, and ages that are not whole numbers ------------------------------
    Case("age-above-table", lambda: cl().annuity_due(130, 0.03), IndexError, ("x", "130", "[0, 105]", "CL1")),
    Case("age-negative", lambda: cl().annuity_due(-1, 0.03), IndexError, ("x", "-1", "[0, 105]")),
    Case("age-in-array", lambda: cl().annuity_due([60, 70, 140], 0.03), IndexError, ("x", "140")),
    Case("age-fractional", lambda: cl().annuity_due(65.5, 0.03), ValueError, ("x", "65.5", "whole")),
    Case("age-nan", lambda: cl().annuity_due(NAN, 0.03), ValueError, ("x", "nan")),
    Case("age-string", lambda: cl().annuity_due("sixty", 0.03), InputTypeError, ("x", "'sixty'")),
    Case("age-bool", lambda: cl().annuity_due(True, 0.03), InputTypeError, ("x", "True")),
    Case("survival-age", lambda: cl().survival(106, 1.0), IndexError, ("x", "106", "[0, 105]")),
    Case("expectancy-age", lambda: cl().life_expectancy(200), IndexError, ("x", "200")),
    Case("assurance-age", lambda: cl().whole_life_assurance(111, 0.03), IndexError, ("x", "111")),
    Case(
        "loaded-table-age",
        lambda: wl.LifeTable.from_qx([0.1, 0.2, 1.0], start_age=60).annuity_due(59, 0.03),
        IndexError,
        ("x", "59", "[60, 62]"),
    ),
    # ---- tables: q in [0, 1], q_omega = 1, shapes, l_x --------------------------------------------
    Case("qx-above-one", lambda: wl.LifeTable.from_qx(q_with(17, 1.2)), ValueError, ("qx[17]", "1.2", "[0, 1]")),
    Case("qx-negative", lambda: wl.LifeTable.from_qx(q_with(3, -0.1)), ValueError, ("qx[3]", "-0.1")),
    Case("qx-nan", lambda: wl.LifeTable.from_qx(q_with(2, NAN)), ValueError, ("qx[2]", "nan")),
    Case(
        "qx-age-label",
        lambda: wl.LifeTable.from_qx(q_with(5, 1.5), start_age=20),
        ValueError,
        ("qx[5]", "age 25", "1.5"),
    ),
    Case("qx-last-not-one", lambda: wl.LifeTable.from_qx([0.1, 0.5, 0.8]), ValueError, ("last qx[2]", "0.8", "1")),
    Case("qx-2d", lambda: wl.LifeTable.from_qx([[0.1, 1.0], [0.2, 1.0]]), ValueError, ("qx", "(2, 2)")),
    Case("qx-one-age", lambda: wl.LifeTable.from_qx([1.0]), ValueError, ("qx", "two ages")),
    Case("qx-strings", lambda: wl.LifeTable.from_qx(["a", "b"]), InputTypeError, ("qx",)),
    Case(
        "qx-series-gap",
        lambda: wl.LifeTable.from_qx(__import__("pandas").Series([0.1, 0.2, 1.0], index=[0, 1, 3])),
        ValueError,
        ("ages", "3", "contiguous"),
    ),
    Case("start-age-negative", lambda: wl.LifeTable.from_qx([0.1, 1.0], start_age=-1), ValueError, ("start_age", "-1")),
    Case(
        "start-age-float", lambda: wl.LifeTable.from_qx([0.1, 1.0], start_age=2.5), InputTypeError, ("start_age", "2.5")
    ),
    Case(
        "lx-increasing",
        lambda: wl.LifeTable.from_lx([1000.0, 900.0, 950.0]),
        ValueError,
        ("lx[2]", "950", "lx[1] = 900"),
    ),
    Case("lx-radix-zero", lambda: wl.LifeTable.from_lx([0.0, 0.0]), ValueError, ("lx[0]", "0")),
    Case("lx-nan", lambda: wl.LifeTable.from_lx([1000.0, NAN, 0.0]), ValueError, ("lx[1]", "nan")),
    Case("lx-negative", lambda: wl.LifeTable.from_lx([1000.0, -5.0]), ValueError, ("lx[1]", "-5")),
    Case("china-unknown", lambda: wl.LifeTable.china_2010_2013("CL7"), ValueError, ("name", "'CL7'", "CL1")),
    Case("china-not-string", lambda: wl.LifeTable.china_2010_2013(1), ValueError, ("name", "1")),
    # ---- valuation arguments ---------------------------------------------------------------------
    Case("rate-minus-one", lambda: cl().annuity_due(60, -1.0), ValueError, ("rate", "-1", "> -1")),
    Case("rate-below-minus-one", lambda: cl().annuity_due(60, -1.5), ValueError, ("rate", "-1.5")),
    Case("rate-nan", lambda: cl().annuity_due(60, NAN), ValueError, ("rate", "nan")),
    Case("rate-inf", lambda: cl().annuity_immediate(60, np.inf), ValueError, ("rate", "inf")),
    Case("rate-in-array", lambda: cl().annuity_due(60, [0.03, -2.0]), ValueError, ("rate", "-2")),
    Case("rate-string", lambda: cl().annuity_due(60, "3%"), InputTypeError, ("rate", "'3%'")),
    Case("m-five", lambda: cl().annuity_due(60, 0.03, m=5), ValueError, ("m", "5", "1, 2, 3, 4, 6, 12")),
    Case("m-zero", lambda: cl().annuity_immediate(60, 0.03, m=0), ValueError, ("m", "0")),
    Case("m-float", lambda: cl().annuity_due(60, 0.03, m=12.0), InputTypeError, ("m", "12.0")),
    Case("term-negative", lambda: cl().annuity_due(60, 0.03, term=-1), ValueError, ("term", "-1", ">= 0")),
    Case("term-fractional", lambda: cl().annuity_due(60, 0.03, term=2.5), ValueError, ("term", "2.5", "whole")),
    Case("term-nan", lambda: cl().annuity_due(60, 0.03, term=NAN), ValueError, ("term", "nan")),
    Case("deferral-negative", lambda: cl().annuity_due(60, 0.03, deferral=-3), ValueError, ("deferral", "-3")),
    Case("deferral-fractional", lambda: cl().annuity_due(60, 0.03, deferral=0.5), ValueError, ("deferral", "0.5")),
    Case("escalation-minus-one", lambda: cl().annuity_due(60, 0.03, escalation=-1.0), ValueError, ("escalation", "-1")),
    Case("escalation-nan", lambda: cl().annuity_due(60, 0.03, escalation=NAN), ValueError, ("escalation", "nan")),
    Case(
        "fractional-typo",
        lambda: cl().annuity_due(60, 0.03, m=12, fractional="uud"),
        ValueError,
        ("fractional", "'uud'", "udd"),
    ),
    Case("threads-zero", lambda: cl().annuity_due(60, 0.03, threads=0), ValueError, ("threads", "0")),
    Case(
        "shapes-mismatch",
        lambda: cl().annuity_due([60, 61, 62], [0.01, 0.02]),
        ValueError,
        ("x (3,)", "rate (2,)", "broadcast"),
    ),
    Case("survival-t-negative", lambda: cl().survival(60, -1.0), ValueError, ("t", "-1")),
    Case("survival-t-inf", lambda: cl().survival(60, np.inf), ValueError, ("t", "inf")),
    Case(
        "survival-method",
        lambda: cl().survival(60, 1.5, fractional="linear"),
        ValueError,
        ("fractional", "'linear'", "constant_force"),
    ),
    Case(
        "expectancy-complete-str",
        lambda: cl().life_expectancy(60, complete="yes"),
        InputTypeError,
        ("complete", "'yes'"),
    ),
    Case("assurance-rate", lambda: cl().whole_life_assurance(40, -2.0), ValueError, ("rate", "-2")),
    Case("term-assurance-n", lambda: cl().term_assurance(40, -1, 0.03), ValueError, ("n", "-1")),
    Case("term-assurance-n-frac", lambda: cl().term_assurance(40, 1.5, 0.03), ValueError, ("n", "1.5")),
    Case("tables-not-table", lambda: wl.annuity_due([cl(), "CL2"], 60, 0.03), InputTypeError, ("tables[1]", "'CL2'")),
    Case("tables-empty", lambda: wl.annuity_due([], 60, 0.03), ValueError, ("tables", "[]")),
    # ---- adjustments -------------------------------------------------------------------------------
    Case("multiply-negative", lambda: cl().multiply(-2.0), ValueError, ("factor", "-2", ">= 0")),
    Case(
        "multiply-nan-by-age",
        lambda: cl().multiply(np.r_[np.ones(50), NAN, np.ones(55)]),
        ValueError,
        ("factor at age 50", "nan"),
    ),
    Case("multiply-length", lambda: cl().multiply([1.0, 2.0, 3.0]), ValueError, ("factor", "(3,)", "106 ages")),
    Case("multiply-ages-outside", lambda: cl().multiply(2.0, ages=[60, 130]), IndexError, ("ages[1]", "130")),
    Case("multiply-ages-repeat", lambda: cl().multiply(2.0, ages=[60, 60]), ValueError, ("ages", "repeat")),
    Case("set-forward-float", lambda: cl().set_forward(2.5), InputTypeError, ("years", "2.5")),
    Case("set-forward-huge", lambda: cl().set_forward(500), ValueError, ("years", "500")),
    Case("blend-weight", lambda: cl().blend(cl("CL2"), 1.5), ValueError, ("weight", "1.5", "[0, 1]")),
    Case("blend-ages", lambda: cl().blend(cl("CL2").set_forward(-2), 0.5), ValueError, ("[0, 107]", "[0, 105]")),
    Case("blend-other", lambda: cl().blend("CL2", 0.5), InputTypeError, ("other", "'CL2'")),
    Case("improve-scale-one", lambda: cl().improve(1.0, 1970, 2012), ValueError, ("scale", "1", "(-1, 1)")),
    Case("improve-birth-year-str", lambda: cl().improve(0.01, "1970", 2012), InputTypeError, ("birth_year", "'1970'")),
    Case("improve-year-range", lambda: cl().improve(0.01, 1970, 9999), ValueError, ("base_year", "9999")),
    # ---- model points ----------------------------------------------------------------------------------
    Case("mp-age", lambda: wl.model_points(cl(), [30, 130], [10, 10], [1e5, 1e5], 0.03), IndexError, ("age", "130")),
    Case("mp-term", lambda: wl.model_points(cl(), [30], [-1], [1e5], 0.03), ValueError, ("term", "-1")),
    Case("mp-sum-nan", lambda: wl.model_points(cl(), [30], [10], [NAN], 0.03), ValueError, ("sum_assured", "nan")),
    Case("mp-rate", lambda: wl.model_points(cl(), [30], [10], [1e5], -1.0), ValueError, ("rate", "-1")),
    Case(
        "mp-within",
        lambda: wl.model_points(cl(), [30], [10], [1e5], 0.03, within_year="monthly"),
        ValueError,
        ("within_year", "'monthly'"),
    ),
    Case("mp-table", lambda: wl.model_points("CL1", [30], [10], [1e5], 0.03), InputTypeError, ("table", "'CL1'")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_life(case):
    check(case)


def test_case_count():
    assert len(CASES) >= 25
