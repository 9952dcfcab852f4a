"""Actuarial valuation of long-term benefits in payment (issue #11, items 2-3).

:func:`value` gives the present value at a valuation date (1 January) of every future payment to a set
of beneficiaries — one row per person (``birth_date`` / ``award_date`` columns) or per cohort (the
projection's own beneficiary table, :attr:`wifund.Province.beneficiaries`) — with totals by city and
benefit kind. :func:`financing` gives a projection's financing indicators (PAYG cost rate, capital
value of the year's awards and terminal-funding rate, general average premium, liability at each year
end, reserve adequacy, months of payment); :meth:`wifund.Projection.financing` calls it.

The valuation runs the projection's own cohort code (``include/wifund/valuation/value.hpp``): the rows
are rolled with ``cohort_book::roll`` — 伤残津贴 of grades 1-4 to the person's statutory retirement
month (国发〔2024〕18号, by birth month and group), then the top-up to the minimum-wage-floored allowance
where the pension is lower (条例 Art. 35); 生活护理费 for life, indexed and never cut (Art. 34);
供养亲属抚恤金 (Art. 39, 劳动和社会保障部令第18号): children to 18, spouses and parents for life from
their eligibility age (deferred), with the family cap; the Art. 39 ¶3 funeral grant and dependants'
pensions on the deaths of grade 1-4 recipients. Timing: payments monthly, paid to the average number
alive of each year, discounted from mid-year (docs/valuation.md).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import _core
from ._bridge import _cohort_columns, build_input, life_table
from ._checks import check_choice, check_int, check_number, check_type, show
from .assumptions import Assumptions
from .policy import Policy
from .province import Province, _check_beneficiaries, _Coded, _Src

if TYPE_CHECKING:
    from .projection import Projection

#: The items valued (expenditure items of the long-term benefits and the Art. 39 ¶3 funeral grant).
ITEMS: list[str] = list(_core.valuation.items)
#: Horizon of the context the valuation reads its paths from (the last year repeats beyond it).
_CONTEXT_YEARS = 50
#: Columns of individual records (one person a row); count, pension, retired, lone are optional.
RECORD_COLUMNS = ["city", "kind", "grade", "care_level", "sex", "birth_date", "award_date", "monthly_amount"]


@dataclass(frozen=True)
class Valuation:
    """Result of :func:`value`.

    Attributes
    ----------
    rows
        The input rows with ``pv_<item>`` for each item of :data:`ITEMS` and ``pv`` (their sum), yuan at
        the valuation date (``per_row=False``: empty).
    totals
        PV by city × kind, one column per item and ``pv`` (``per_row``: the kind of the row, the Art. 39
        ¶3 dependants of a recipient's deaths under the recipient's row; ``per_row=False``: the kind of
        the cohort paid, those dependants under their own kind; kinds without payments left out).
    cash
        year × item: the undiscounted payments the valuation projects for all rows, and
        ``discount_factor`` (mid-year of each year).
    valuation_date
        1 January of the first valued year.
    """

    rows: pd.DataFrame
    totals: pd.DataFrame
    cash: pd.DataFrame
    valuation_date: _dt.date

    @property
    def total(self) -> float:
        """The liability: PV of every row's future payments (yuan)."""
        return float(self.totals["pv"].sum())


def _valuation_year(valuation_date: Any, province: Province) -> int:
    if isinstance(valuation_date, (int, np.integer)) and not isinstance(valuation_date, bool):
        year = int(valuation_date)
    else:
        try:
            ts = pd.Timestamp(valuation_date)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"value: valuation_date = {show(valuation_date)} is not a date (give 'YYYY-01-01' or a year)"
            ) from exc
        if (ts.month, ts.day) != (1, 1) or ts.hour or ts.minute:
            raise ValueError(
                f"value: valuation_date = {show(valuation_date)} must be 1 January of a year (the projection's "
                "years start on 1 January; docs/valuation.md)"
            )
        year = int(ts.year)
    lo, hi = province.base_year + 1, province.base_year + _CONTEXT_YEARS
    return check_int("value: valuation_date (year)", year, lo, hi, where=f" for {province.name}")


def _records_to_cohorts(records: pd.DataFrame, year: int) -> pd.DataFrame:
    """Individual records (birth_date, award_date) as cohort rows at 1 January of ``year``."""
    missing = [c for c in RECORD_COLUMNS if c not in records.columns]
    if missing:
        raise ValueError(
            f"value: beneficiaries: individual records lack the column(s) {missing} (need {RECORD_COLUMNS})"
        )
    vd = pd.Timestamp(year=year, month=1, day=1)
    out = pd.DataFrame(index=records.index)
    for c in ("city", "kind", "grade", "care_level", "sex", "monthly_amount"):
        out[c] = records[c]
    dates = {}
    for col in ("birth_date", "award_date"):
        parsed = pd.to_datetime(records[col], errors="coerce")
        bad = parsed.isna()
        if bad.any():
            i = bad.idxmax()
            raise ValueError(f"value: beneficiaries row {i}: {col} = {show(records.at[i, col])} is not a date")
        dates[col] = parsed
    birth, award = dates["birth_date"], dates["award_date"]
    for name, bad, rule in (
        ("birth_date", birth > vd, f"is after the valuation date {vd.date()}"),
        ("award_date", award < birth, "is before the birth date"),
        ("award_date", award >= vd, f"is not before the valuation date {vd.date()} (not yet in payment)"),
    ):
        if bad.any():
            i = bad.idxmax()
            raise ValueError(
                f"value: beneficiaries row {i} ({records.at[i, 'city']}, {records.at[i, 'kind']}): "
                f"{name} = {records.at[i, name]} {rule}"
            )
    before_birthday = (birth.dt.month > 1) | (birth.dt.day > 1)
    out["age"] = year - birth.dt.year - before_birthday.astype(int)
    out["birth_year"] = birth.dt.year
    out["birth_month"] = birth.dt.month
    out["award_year"] = award.dt.year
    for c, default in (("count", 1.0), ("pension", 0.0), ("retired", 0), ("lone", 0)):
        out[c] = records[c] if c in records.columns else default
    return out


def _check_table_ages(rows: pd.DataFrame, assumptions: Any, coded: dict[str, _Coded] | None = None) -> None:
    """Every row's age within its mortality table (disabled tables for allowance and care, dependants'
    tables otherwise; male / female). ``coded``: the kind and sex factorizations of
    ``province._check_beneficiaries`` (one comparison per distinct value instead of per row)."""
    if not isinstance(assumptions, Assumptions):
        return  # reported by _input with the type
    disabled, dependants = assumptions.claim("mortality_disabled"), assumptions.claim("mortality_dependants")
    coded = coded or {}
    kind, sex = (coded.get(c) or _Coded.of(rows[c]) for c in ("kind", "sex"))
    age = rows["age"].to_numpy(dtype=float)
    disabled_rows = kind.isin(["allowance", "care"])
    for own, names in ((disabled_rows, disabled), (~disabled_rows, dependants)):
        for sex_name, name in zip(_core.axes.sexes, names):  # tables are given male, female
            table = life_table(str(name))
            bad = own & sex.isin([sex_name]) & ((age < table.min_age) | (age > table.max_age))
            if bad.any():
                i = rows.index[int(np.argmax(bad))]
                raise ValueError(
                    f"value: beneficiaries row {i} ({rows.at[i, 'city']}, {rows.at[i, 'kind']}, {sex_name}): "
                    f"age = {rows.at[i, 'age']} is outside the mortality table {name} "
                    f"(ages {table.min_age}..{table.max_age})"
                )


def _sums_by_city_kind(values: pd.DataFrame, rows: pd.DataFrame, coded: dict[str, _Coded]) -> pd.DataFrame:
    """``values.groupby([rows["city"], rows["kind"]], sort=True).sum()``, grouped on one integer key made
    from the checks' factorizations (grouping on two text columns factorizes 1,000,000 cells twice more):
    the same groups in the same order, each summed over the same rows in the same order (pandas' group
    sum), so the same numbers."""
    keys = []
    for c in ("city", "kind"):
        col = coded[c]
        order = np.argsort(np.asarray(col.uniques, dtype=object), kind="stable")  # the sorted distinct values
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        keys.append((rank[col.codes], col.uniques[order].astype(rows[c].dtype)))
    (city_rank, cities), (kind_rank, kinds) = keys
    sums = values.groupby(city_rank * len(kinds) + kind_rank, sort=True).sum()
    key = sums.index.to_numpy()
    sums.index = pd.MultiIndex.from_arrays([cities[key // len(kinds)], kinds[key % len(kinds)]], names=["city", "kind"])
    return sums


def _discount_rates(discount: Any, inp: Any, start_index: int) -> list[float]:
    if discount is None:
        rates = [float(v) for v in np.asarray(inp.economy.interest_rate, dtype=float)[start_index:]]
        where = " (the assumptions' interest_rate path)"
    else:
        arr = np.atleast_1d(np.asarray(discount, dtype=float)) if not isinstance(discount, str) else None
        if arr is None or arr.ndim != 1 or arr.size == 0:
            raise ValueError(
                f"value: discount = {show(discount)} must be a rate or a non-empty sequence of yearly rates"
            )
        rates = [float(v) for v in arr]
        where = ""
    for k, r in enumerate(rates):
        check_number(f"value: discount[{k}]{where}", r, lo=0.0, hi=1.0)
    return rates


def _input(
    province: Province,
    policy: Policy | str | None,
    assumptions: Assumptions | None,
    mortality_load: float,
) -> Any:
    if policy is None:
        policy = province.default_policy
    if not isinstance(policy, Policy):
        policy = Policy.load(policy)
    if assumptions is None:
        assumptions = Assumptions.default()
    check_type("value: assumptions", assumptions, Assumptions, "a wifund.Assumptions or None")
    load = check_number("value: mortality_load", mortality_load, lo=0.0, hi=50.0)
    inp, _ = build_input(province, policy, assumptions, _CONTEXT_YEARS)
    if load != 1.0:
        claims = inp.claims
        claims.disabled_mortality_load = [load * float(v) for v in claims.disabled_mortality_load]
        claims.dependant_mortality_load = load * float(claims.dependant_mortality_load)
        inp.claims = claims
    return inp


def value(
    beneficiaries: pd.DataFrame,
    policy: Policy | str | None = None,
    assumptions: Assumptions | None = None,
    valuation_date: Any = None,
    *,
    province: Province | None = None,
    discount: float | Sequence[float] | None = None,
    mortality_load: float = 1.0,
    per_row: bool = True,
    max_years: int = 150,
    horizon: int | None = None,
    method: str = "roll",
) -> Valuation:
    """Present value at ``valuation_date`` of the future payments to ``beneficiaries``.

    Parameters
    ----------
    beneficiaries
        One row per cohort in the columns of :attr:`wifund.Province.beneficiaries` (city, kind, grade,
        care_level, sex, age at the valuation date, count, monthly_amount, pension, award_year, retired,
        lone; optional birth_year, birth_month), or one row per person with ``birth_date`` and
        ``award_date`` instead of age and award_year (count 1, pension 0, not retired unless given).
    policy, assumptions
        As for :func:`wifund.project`: the benefit rules, indexation, minimum wages and mortality basis.
    valuation_date
        1 January of a year after the province's base year (a date, ``"YYYY-01-01"`` or the year);
        default the year after the base year.
    province
        The province (cities, minimum wages, economic base); default :meth:`Province.demo`.
    discount
        Yearly discount rate, flat or a path from the valuation year (the last rate repeats), in
        [0, 1]; default the assumptions' interest rate path.
    mortality_load
        A multiplier on the disabled and dependant mortality loads of the assumptions (sensitivity).
    per_row
        PV per row (the default); False values by city and kind only, with the projection's grouping of
        the Art. 39 ¶3 deaths (needed under flat-by-grade indexation, whose round depends on the whole
        book; much faster for large books).
    max_years, horizon
        Years valued at most (the book is empty long before 150); ``horizon`` truncates the valuation
        after that many years (e.g. to compare with a projection's horizon).
    method
        ``"roll"`` (the default) rolls the rows in cohort books with the projection's code;
        ``"fast"`` (``include/wifund/valuation/fast.hpp``, docs/valuation.md "The fast path") gives the
        same per-row values (those of ``per_row=True``, to rounding) many times faster: each row's own
        cohorts rolled alone, the Art. 39 ¶3 dependants of a death valued once per death year, age, sex
        and cap ratio, equal rows valued once. With ``per_row=False`` its totals are by city and kind
        paid with the dependants of each row's deaths grouped per row (not per city and sex at their
        mean age as the roll does). Not for flat-by-grade indexation.
    """
    province = Province.demo() if province is None else province
    check_type("value: province", province, Province, "a wifund.Province or None")
    check_type("value: beneficiaries", beneficiaries, pd.DataFrame, "a pandas DataFrame")
    year = province.base_year + 1 if valuation_date is None else _valuation_year(valuation_date, province)
    max_years = check_int("value: max_years", max_years, 1, 400)
    if method not in ("roll", "fast"):
        raise ValueError(f"value: method = {show(method)} must be 'roll' or 'fast'")
    end_index = -1
    j0 = year - province.base_year - 1
    if horizon is not None:
        end_index = j0 + check_int("value: horizon", horizon, 1, 400)
    rows = _records_to_cohorts(beneficiaries, year) if "birth_date" in beneficiaries.columns else beneficiaries
    # birth_year / birth_month not given: born in (valuation year - 1 - age), in July (_cohort_columns)
    src = _Src("value(beneficiaries=...)", is_file=False)
    coded: dict[str, _Coded] = {}  # the text columns factorized once, for the checks and the arrays
    checked = _check_beneficiaries(rows, src, src, set(province.city_names), year - 1, coded)
    _check_table_ages(checked, Assumptions.default() if assumptions is None else assumptions, coded)
    inp = _input(province, policy, assumptions, mortality_load)
    base = inp.base
    base.set_beneficiaries(
        **_cohort_columns(SimpleNamespace(city_names=province.city_names, base_year=year - 1), checked, coded)
    )
    inp.base = base
    rates = _discount_rates(discount, inp, j0)
    if method == "fast":
        raw = _core.valuation.value_fast(inp, j0, rates, max_years, end_index, per_row=bool(per_row))
        pv = np.asarray(raw["pv"] if per_row else raw["pv_by_kind"], dtype=float)
    else:
        raw = _core.valuation.value(inp, j0, rates, max_years, bool(per_row), end_index)
        pv = np.asarray(raw["pv"], dtype=float)
    cols = [f"pv_{i}" for i in ITEMS]
    cash = pd.DataFrame(
        np.asarray(raw["cash"], dtype=float),
        columns=ITEMS,
        index=pd.Index(range(year, year + len(raw["cash"])), name="year"),
    )
    cash["discount_factor"] = np.asarray(raw["discount_factor"], dtype=float)
    if per_row:
        # one (items + 1) x rows block, handed to pandas without a copy (a 1,000,000-row column_stack and
        # the frame's own copy cost 0.2 s)
        block = np.empty((pv.shape[1] + 1, pv.shape[0]))
        block[:-1] = pv.T
        block[-1] = pv.sum(axis=1)
        values = pd.DataFrame(block.T, columns=cols + ["pv"], index=checked.index, copy=False)
        out = pd.concat([checked, values], axis=1)  # one copy (inserting the columns one by one is slow)
        totals = _sums_by_city_kind(values, checked, coded)
    else:
        out = checked.iloc[0:0].copy()
        index = pd.MultiIndex.from_product(
            [province.city_names, list(_core.axes.benefit_kinds)], names=["city", "kind"]
        )
        totals = pd.DataFrame(pv, columns=cols, index=index)
        totals["pv"] = pv.sum(axis=1)
        totals = totals[totals.to_numpy().any(axis=1)]
    totals.columns = [c.removeprefix("pv_") if c != "pv" else c for c in totals.columns]
    return Valuation(rows=out, totals=totals, cash=cash, valuation_date=_dt.date(year, 1, 1))


@dataclass(frozen=True)
class Financing:
    """Result of :func:`financing` (ILO terminal funding and general average premium).

    Attributes
    ----------
    by_year
        One row per projection year: ``payg_cost_rate`` (expenditure ÷ covered payroll),
        ``award_capital`` (capital value at 1 January of the long-term awards of the year),
        ``short_term_costs`` (the year's short-term items paid), ``terminal_funding_rate``
        ((award_capital + short_term_costs) ÷ covered payroll), ``liability_end`` (PV at the year end of
        the benefits then in payment), ``reserve_adequacy_ratio`` (closing balance ÷ liability_end),
        ``funded_ratio`` (the 储备金 reserve ÷ liability_end), ``months_of_payment``.
    general_average_premium
        The constant contribution rate on covered payroll that equates PV(contributions) + opening fund
        to PV(expenditure) over the horizon.
    general_average_premium_terminal
        The same with a terminal reserve target: the horizon's year-end liability for benefits in
        payment is funded as well.
    discount
        The yearly rates used (from the first projection year).
    """

    by_year: pd.DataFrame
    general_average_premium: float
    general_average_premium_terminal: float
    discount: list[float]


def general_average_premium(
    payroll: np.ndarray, expenditure: np.ndarray, opening: float, rates: Sequence[float], terminal: float = 0.0
) -> float:
    """GAP = (Σ D_k E_k + v^n terminal − opening) ÷ Σ D_k P_k, flows at mid-year (D_k as in the valuation)."""
    n = len(payroll)
    r = np.array([rates[min(k, len(rates) - 1)] for k in range(n)], dtype=float)
    start = np.concatenate([[1.0], np.cumprod(1.0 / (1.0 + r))])
    d = start[:-1] / np.sqrt(1.0 + r)
    return float((d @ expenditure + start[-1] * terminal - opening) / (d @ payroll))


FINANCING_METHODS = ("pass", "roll")


def financing(
    projection: Projection, discount: float | Sequence[float] | None = None, method: str = "pass"
) -> Financing:
    """Financing indicators of ``projection`` by year (see :class:`Financing`).

    ``method="pass"`` (the default) values one roll of the projection's cohort book, every cohort tagged by
    its vintage (the stock, or the awards of year j), through the horizon and on to extinction: each
    year's ``award_capital`` is then exactly the part of every later ``liability_end`` that belongs to its
    vintage. ``method="roll"`` (the reference, the earlier definition) values the book at each year end
    by a roll of its own to extinction and each year's awards alone (five times the CPU on the demo); the two
    differ only through the grouping of the Art. 39 ¶3 deaths of grade 1-4 recipients (by vintage in
    ``pass``, across vintages in ``roll``) and the book averages of a flat-by-grade round
    (docs/valuation.md, "Financing indicators").
    """
    from .projection import Projection as _Projection

    check_type("financing: projection", projection, _Projection, "a wifund.Projection")
    check_choice("financing: method", method, FINANCING_METHODS)
    total = projection.skip + len(projection.years)
    inp, _ = build_input(projection.province, projection.policy, projection.assumptions, total)
    multiplier = 1.0
    if projection.scenario is not None:  # the projection's own paths and incidence multiplier
        inp.economy = projection.scenario.economy
        multiplier = float(projection.scenario.incidence_multiplier)
    try:
        rates = _discount_rates(discount, inp, 0)
    except ValueError as err:  # the checks are value()'s: name the function called
        raise ValueError(str(err).replace("value: ", "financing: ", 1)) from None
    raw = _core.valuation.financing(inp, rates, incidence_multiplier=multiplier, method=method)
    cut = slice(projection.skip, None)
    capital = np.asarray(raw["award_capital"], dtype=float).sum(axis=1)[cut]
    liability = np.asarray(raw["liability_end"], dtype=float).sum(axis=1)[cut]
    fund = projection.fund
    by_item = projection.expenditure_by_item
    short = by_item[[i for i in _core.axes.expenditure_items[: _core.axes.expenditure_items.index("death_grant") + 1]]]
    payroll = fund["covered_payroll"].to_numpy(dtype=float)
    spending = fund["expenditure"].to_numpy(dtype=float) - by_item["advance_repayment"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        by_year = pd.DataFrame(
            {
                "payg_cost_rate": fund["payg_cost_rate"].to_numpy(dtype=float),
                "award_capital": capital,
                "short_term_costs": short.sum(axis=1).to_numpy(dtype=float),
                "terminal_funding_rate": (capital + short.sum(axis=1).to_numpy(dtype=float)) / payroll,
                "liability_end": liability,
                "reserve_adequacy_ratio": fund["closing"].to_numpy(dtype=float) / liability,
                "funded_ratio": fund["reserve"].to_numpy(dtype=float) / liability,
                "months_of_payment": fund["months_of_payment"].to_numpy(dtype=float),
            },
            index=fund.index,
        )
    r = rates[projection.skip :] or rates[-1:]
    opening = float(fund["opening"].iloc[0])
    return Financing(
        by_year=by_year,
        general_average_premium=general_average_premium(payroll, spending, opening, r),
        general_average_premium_terminal=general_average_premium(payroll, spending, opening, r, liability[-1]),
        discount=r,
    )
