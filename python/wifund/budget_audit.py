"""Data audit (稽核) of city submissions: rule-based checks returning a findings table (issue #10, item 6).

A *submission* is the actuals of one or more cities in the long schema of :mod:`wifund.io` (city, year,
month, line, value) plus optional side tables that let more rules run:

============== =============================================== ===============================================
table          columns                                         used by
============== =============================================== ===============================================
headcount      city, year, month, [class], headcount           ``contributions_vs_base``: insured employees
               (persons, ≥ 0)                                  (参保职工) in the month, by risk class if given
wages          city, year, [month], [class], wage (yuan per    average monthly contribution base per insured
               person per month, ≥ 0) -- or one number         person; without ``month`` it holds for every
                                                               month of the year
rates          city, year, [month], [class], rate (fraction    effective contribution rate (after floating and
               of payroll, 0..1) -- or one number              cuts); without ``month`` as for wages
beneficiaries  city, year, month, [line], count, awards,       ``beneficiary_flow``: persons receiving a
               exits (persons, ≥ 0)                            long-term benefit at the end of the month, new
                                                               awards and exits (deaths, ends) in the month
============== =============================================== ===============================================

``class`` is the risk class (1..8, or any label; integers and text are compared as text) and must
appear in ``headcount`` if it appears in ``wages`` or ``rates``. Headcount, wages and rates come
together (all three or none). Side tables are checked strictly -- a missing column, a NaN, a negative
count or a repeated key raises ``ValueError`` naming the table, the row and the value -- because they
are the auditor's reference data; the actuals are what is audited, so their content problems
(repeats, gaps, negative amounts) are *findings*, while a malformed actuals frame (missing column,
non-numeric amount, unknown line) is still an error (:func:`wifund.io.check_actuals`).

Rules (:data:`RULES`): see :func:`audit`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._checks import InputTypeError, check_int, check_keys, check_number, show
from .io import (
    KEY,
    LINES,
    TOTAL_LINES,
    _check_actuals,
    _Rows,
    int_column,
    number_column,
    period_text,
    require_frame,
    text_column,
)

__all__ = ["RULES", "FINDINGS_COLUMNS", "JUMP_LINES", "Submission", "audit"]

#: rule → (severity, what it checks)
RULES: dict[str, tuple[str, str]] = {
    "duplicate": ("error", "a (city, year, month, line) reported more than once"),
    "missing_month": ("error", "a city reported nothing for a month inside the submission's period"),
    "missing_line": ("error", "a city reported a month but not one of required_lines"),
    "negative": ("error", "a negative amount (lines in allow_negative excepted)"),
    "total_mismatch": (
        "error",
        "a reported total (revenue, expenditure) differs from the sum of its lines by more than sum_tolerance yuan",
    ),
    "beneficiary_flow": (
        "error",
        "beneficiaries at the end of a month differ from the previous month's + "
        "awards − exits by more than count_tolerance",
    ),
    "contributions_vs_base": (
        "warning",
        "contributions differ from headcount × wage × rate by more than tolerance (relative)",
    ),
    "jump": ("warning", "a month-on-month change beyond jump_threshold robust deviations of the city-line's changes"),
    "not_checked": ("info", "a rule could not be applied (reference data missing for a city or month)"),
}
#: Columns of the findings table, in order.
FINDINGS_COLUMNS: tuple[str, ...] = (
    "rule",
    "severity",
    "city",
    "year",
    "month",
    "line",
    "value",
    "expected",
    "message",
)
#: Lines the jump rule looks at by default: flows paid or collected every month. Lumpy lines (interest
#: credited quarterly, fiscal subsidies, transfers, remittances, prevention projects, "other") and
#: the totals (their jumps are their lines' jumps) are left out; pass ``jump_lines`` to change.
JUMP_LINES: tuple[str, ...] = (
    "contributions",
    "medical",
    "rehabilitation",
    "assistive_devices",
    "hospital_food",
    "appraisal",
    "disability_lump_sum",
    "medical_subsidy",
    "funeral_grant",
    "death_grant",
    "disability_allowance",
    "allowance_topup",
    "care_allowance",
    "dependant_pension",
)

_MAD_TO_SIGMA = 1.4826  # 1 / Φ⁻¹(3/4): the MAD of a normal sample estimates σ / 1.4826
_IQR_TO_SIGMA = 1.349  # 2 Φ⁻¹(3/4): the IQR of a normal sample estimates 1.349 σ
_SIDE = ("headcount", "wages", "rates", "beneficiaries")


@dataclass(frozen=True)
class Submission:
    """A city submission: actuals (long schema) and the optional side tables described in the module
    docstring. ``wages`` and ``rates`` may be single numbers."""

    actuals: pd.DataFrame
    headcount: pd.DataFrame | None = None
    wages: pd.DataFrame | float | None = None
    rates: pd.DataFrame | float | None = None
    beneficiaries: pd.DataFrame | None = None


# ------------------------------------------------------------------------------------------------
# Findings
# ------------------------------------------------------------------------------------------------
class _Findings:
    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self, rule: str, city: Any, year: Any, month: Any, line: Any, value: Any, expected: Any, message: list[str]
    ) -> None:
        n = len(message)
        if n == 0:
            return

        def col(x: Any, dtype: Any) -> np.ndarray:
            return np.full(n, x, dtype=dtype) if np.ndim(x) == 0 else np.asarray(x, dtype=dtype)

        self.parts.append(
            pd.DataFrame(
                {
                    "rule": col(rule, object),
                    "severity": col(RULES[rule][0], object),
                    "city": col(city, object),
                    "year": col(year, "int64"),
                    "month": col(month, "int64"),
                    "line": col(line, object),
                    "value": col(value, float),
                    "expected": col(expected, float),
                    "message": col(message, object),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if self.parts:
            out = pd.concat(self.parts, ignore_index=True)
        else:
            out = pd.DataFrame(
                {
                    c: np.array(
                        [], dtype="int64" if c in ("year", "month") else float if c in ("value", "expected") else object
                    )
                    for c in FINDINGS_COLUMNS
                }
            )
        for c in ("rule", "severity", "city", "line", "message"):
            out[c] = pd.Series(out[c].to_numpy(dtype=object), dtype=str)
        rank = out["severity"].map({"error": 0, "warning": 1, "info": 2})
        order = np.lexsort(
            (
                out["rule"].to_numpy(),
                out["line"].to_numpy(),
                out["month"].to_numpy(),
                out["year"].to_numpy(),
                out["city"].to_numpy(),
                rank.to_numpy(),
            )
        )
        return out.iloc[order].reset_index(drop=True)[list(FINDINGS_COLUMNS)]


def _row_quantiles(x: np.ndarray, qs: tuple[float, ...]) -> list[np.ndarray]:
    """Quantiles of each row of ``x`` ignoring NaN (every row has a number), as ``numpy.nanquantile``'s
    default linear method, in one sort instead of a Python loop over rows."""
    s = np.sort(x, axis=1)  # NaN last
    n = np.sum(~np.isnan(x), axis=1)
    rows = np.arange(len(x))
    out = []
    for q in qs:
        pos = q * (n - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, n - 1)
        out.append(s[rows, lo] + (pos - lo) * (s[rows, hi] - s[rows, lo]))
    return out


def _yuan(v: float) -> str:
    return f"{v:,.2f}"


# ------------------------------------------------------------------------------------------------
# Side tables
# ------------------------------------------------------------------------------------------------
def _side(
    frame: Any,
    name: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    values: dict[str, tuple[Any, ...]],
) -> pd.DataFrame:
    """A checked side table: key columns normalised, value columns finite numbers in range, keys unique."""
    cols = required + tuple(values)
    schema = ", ".join(list(required) + [f"[{o}]" for o in optional] + list(values))
    where = f"submission: {name}"
    frame = require_frame(frame, where, cols, schema)
    keys = [c for c in required + optional if c in frame.columns]
    rows = _Rows(frame, where, None, keys)
    out: dict[str, Any] = {}
    for c in keys:
        if c == "year":
            out[c] = int_column(frame, c, rows, 1900, 2200)
        elif c == "month":
            out[c] = int_column(frame, c, rows, 1, 12)
        else:  # city, class, line
            out[c] = text_column(frame, c, rows)
    for c, (lo, hi) in values.items():
        arr = number_column(frame, c, rows)
        bad = np.flatnonzero((arr < lo) | (arr > hi))
        if len(bad):
            rule = f"must lie in [{lo:g}, {hi:g}]" if hi != np.inf else f"must be >= {lo:g}"
            raise rows.fail(c, int(bad[0]), rule)
        out[c] = arr
    df = pd.DataFrame(out)
    dup = df.duplicated(keys, keep=False).to_numpy()
    if dup.any():
        i = int(np.argmax(dup))
        raise ValueError(
            f"{rows(i)}: the key ({', '.join(keys)}) appears more than once in {name}; each must appear once"
        )
    return df


def _rate_table(value: Any, name: str, column: str, hi: float) -> pd.DataFrame | float:
    if isinstance(value, pd.DataFrame):
        return _side(value, name, ("city", "year"), ("month", "class"), {column: (0.0, hi)})
    return check_number(name, value, 0.0, hi)


def _expected_contributions(headcount: Any, wages: Any, rates: Any) -> tuple[pd.DataFrame, set[str]]:
    """(city, year, month, expected, reason) from the side tables, and the cities they name."""
    given = {"headcount": headcount is not None, "wages": wages is not None, "rates": rates is not None}
    if not all(given.values()):
        missing = [k for k, v in given.items() if not v]
        have = [k for k, v in given.items() if v]
        raise ValueError(
            f"submission: {', '.join(have)} given without {', '.join(missing)}; the contributions "
            f"rule needs headcount, wages and rates together (leave all three out to skip it)"
        )
    h = _side(headcount, "headcount", ("city", "year", "month"), ("class",), {"headcount": (0.0, np.inf)})
    w = _rate_table(wages, "wages", "wage", np.inf)
    r = _rate_table(rates, "rates", "rate", 1.0)
    base = h
    for tab, name, column in ((w, "wages", "wage"), (r, "rates", "rate")):
        if isinstance(tab, float):
            base = base.assign(**{column: tab})
            continue
        if "class" in tab.columns and "class" not in h.columns:
            raise ValueError(
                f"submission: {name} are given by class but headcount is not (add a 'class' column "
                f"to headcount, or give {name} without classes)"
            )
        on = [c for c in ("city", "year", "month", "class") if c in tab.columns]
        base = base.merge(tab, on=on, how="left", validate="many_to_one")
    base["payroll_rate"] = base["headcount"] * base["wage"] * base["rate"]
    keys = ["city", "year", "month"]
    out = base.groupby(keys, sort=False)["payroll_rate"].sum(min_count=1).rename("expected").reset_index()
    out["reason"] = ""
    lacking = base["wage"].isna() | base["rate"].isna()
    if lacking.any():  # months whose base is incomplete: not checked, with the reason
        gap = base.loc[lacking]
        why = np.where(gap["wage"].isna(), "no wage", "no rate").astype(object)
        if "class" in gap.columns:
            why = why + " for class " + gap["class"].to_numpy(dtype=object)
        reasons = (
            pd.Series(why, index=gap.index)
            .groupby([gap[k] for k in keys], sort=False)
            .agg(lambda s: ", ".join(sorted(set(s))))
            .rename("why")
            .reset_index()
        )
        out = out.merge(reasons, on=keys, how="left")
        has = out["why"].notna().to_numpy()
        out.loc[has, "reason"] = out.loc[has, "why"]
        out.loc[has, "expected"] = np.nan
        out = out.drop(columns="why")
    cities = set(h["city"])
    return out, cities


# ------------------------------------------------------------------------------------------------
# The audit
# ------------------------------------------------------------------------------------------------
def _resolve(submission: Any, side: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    if isinstance(submission, Submission):
        base = {k: getattr(submission, k) for k in _SIDE}
        actuals = submission.actuals
    elif isinstance(submission, Mapping):
        check_keys("submission", submission.keys(), ("actuals",) + _SIDE, what="table")
        if "actuals" not in submission:
            raise ValueError("submission: the 'actuals' table is required")
        base = {k: submission.get(k) for k in _SIDE}
        actuals = submission["actuals"]
    elif isinstance(submission, pd.DataFrame):
        base = dict.fromkeys(_SIDE)
        actuals = submission
    else:
        raise InputTypeError(
            f"submission = {show(submission)}: must be an actuals DataFrame, a Submission or a "
            f"dict of tables, not {type(submission).__name__}"
        )
    for k, v in side.items():
        if v is not None:
            if base[k] is not None:
                raise ValueError(f"{k}: given both in the submission and as a keyword argument; give it once")
            base[k] = v
    return actuals, base


def _lines_arg(name: str, value: Iterable[str] | None, default: Iterable[str]) -> list[str]:
    if value is None:
        return list(default)
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InputTypeError(f"{name} = {show(value)}: must be a list of line names, not {type(value).__name__}")
    value = list(value)
    check_keys(name, value, LINES, what="line")
    return value


def audit(
    submission: pd.DataFrame | Submission | Mapping[str, Any],
    *,
    tolerance: float = 0.05,
    jump_threshold: float = 5.0,
    jump_floor: float = 0.02,
    min_history: int = 12,
    rates: pd.DataFrame | float | None = None,
    headcount: pd.DataFrame | None = None,
    wages: pd.DataFrame | float | None = None,
    beneficiaries: pd.DataFrame | None = None,
    sum_tolerance: float = 1.0,
    count_tolerance: float = 0.0,
    allow_negative: Iterable[str] = (),
    required_lines: Iterable[str] = (),
    jump_lines: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Audits a city submission and returns its findings.

    Parameters
    ----------
    submission
        An actuals frame (long schema, :mod:`wifund.io`; repeated keys allowed, they are findings), a
        :class:`Submission`, or a dict with the key ``actuals`` and any of ``headcount``, ``wages``,
        ``rates``, ``beneficiaries``.
    tolerance
        ``contributions_vs_base``: relative tolerance of reported contributions against headcount × wage
        × rate (default 5 %; monthly collection timing moves money between months).
    jump_threshold, jump_floor, min_history
        ``jump``: for each city and line in ``jump_lines``, the month-on-month changes d(t) = v(t) −
        v(t−1) of consecutive reported months; a change is flagged when |d(t) − median(d)| >
        ``jump_threshold`` × s, with the robust spread s = max(1.4826 × MAD(d), IQR(d) / 1.349,
        ``jump_floor`` × median |v|, 1 yuan), MAD being the median absolute deviation and IQR the
        interquartile range of all the city-line's changes in the submission (earlier and later months;
        the flagged change itself is included, which both resist). Each of the first two estimates the
        standard deviation for normal changes, so the default 5 is about 5σ: about one false finding in
        3 million changes of normal noise. The IQR term keeps a series that alternates between two
        levels (MAD ≈ 0) from flagging its ordinary changes; the floor keeps a smooth series from
        flagging small ones: with the defaults no change below 5 × 2 % = 10 % of the line's typical
        monthly level is flagged (a January rise of the contribution base is not a jump). A series with
        fewer than ``min_history`` changes is not tested.
        A one-month spike gives two findings (up, then down); a level shift one.
    rates, headcount, wages, beneficiaries
        Side tables (module docstring), instead of or in addition to those in ``submission`` (not both).
    sum_tolerance
        ``total_mismatch`` (and the zero-base case of ``contributions_vs_base``): yuan.
    count_tolerance
        ``beneficiary_flow``: persons (default 0: the identity is exact).
    allow_negative
        Lines on which negative amounts are normal (reversals), exempt from ``negative``.
    required_lines
        Lines each city must report in every month it reports (``missing_line``); default none.
    jump_lines
        Lines the jump rule tests (default :data:`JUMP_LINES`).

    Returns
    -------
    pandas.DataFrame
        Columns ``rule, severity, city, year, month, line, value, expected, message``: one row per
        finding, errors first, then by city, year, month, line. ``line`` is ``""`` for a finding about a
        whole month (``missing_month``) or a beneficiary series without a line; ``value`` is the amount
        (or count) found and ``expected`` what the rule expected; either is NaN where the rule has no such
        number (``missing_month``, ``duplicate``'s expected) -- ``message`` always says it in words. An
        empty frame means no finding.

    Rules
    -----
    ``duplicate`` (error): a key reported more than once; the repeated amounts are not used by the other
    rules. ``missing_month`` (error): a city with no row for a month between the submission's first and
    last month. ``missing_line`` (error): a month without one of ``required_lines``. ``negative``
    (error). ``total_mismatch`` (error): a reported ``revenue`` / ``expenditure`` against the sum of its
    lines (absent lines count 0; months with a repeated line are skipped). ``beneficiary_flow`` (error):
    count(t) ≠ count(t−1) + awards(t) − exits(t) for consecutive months. ``contributions_vs_base``
    (warning): \\|contributions − Σ headcount × wage × rate\\| > max(tolerance × expected, sum_tolerance).
    ``jump`` (warning): see above. ``not_checked`` (info): contributions reported for a month the side
    tables do not cover, or a side-table city without actuals.

    Raises
    ------
    ValueError
        A malformed actuals frame or side table (naming the row and value), or a bad option.
    """
    tolerance = check_number("tolerance", tolerance, 0.0)
    jump_threshold = check_number("jump_threshold", jump_threshold, 0.0, lo_open=True)
    jump_floor = check_number("jump_floor", jump_floor, 0.0)
    min_history = check_int("min_history", min_history, 2)
    sum_tolerance = check_number("sum_tolerance", sum_tolerance, 0.0)
    count_tolerance = check_number("count_tolerance", count_tolerance, 0.0)
    allow_neg = set(_lines_arg("allow_negative", allow_negative, ()))
    required = _lines_arg("required_lines", required_lines, ())
    jumps = _lines_arg("jump_lines", jump_lines, JUMP_LINES)
    raw, side = _resolve(
        submission, {"headcount": headcount, "wages": wages, "rates": rates, "beneficiaries": beneficiaries}
    )
    act, codes = _check_actuals(raw, "submission: actuals", "keep", None)
    found = _Findings()

    year = act["year"].to_numpy()
    month = act["month"].to_numpy()
    value = act["value"].to_numpy()
    c_idx, cities = codes["city_code"], codes["cities"]
    line_pos = {ln: i for i, ln in enumerate(LINES)}
    l_idx = np.array([line_pos[ln] for ln in codes["lines"]], dtype=np.int64)[codes["line_code"]]
    city = cities[c_idx]
    line = np.array(LINES, dtype=object)[l_idx]
    period = year * 12 + (month - 1)
    p0, p1 = int(period.min()), int(period.max())
    t_idx = period - p0
    C, L, T = len(cities), len(LINES), p1 - p0 + 1
    years_t = (np.arange(T) + p0) // 12
    months_t = (np.arange(T) + p0) % 12 + 1
    span = f"{period_text(years_t[0], months_t[0])} to {period_text(years_t[-1], months_t[-1])}"

    # ---- duplicate
    key = (c_idx * L + l_idx) * T + t_idx
    order = np.argsort(key, kind="stable")
    same = key[order][1:] == key[order][:-1]
    dup = np.zeros(len(key), dtype=bool)
    dup[order[1:][same]] = True
    dup[order[:-1][same]] = True
    present = np.zeros((C, L, T), dtype=bool)
    present[c_idx, l_idx, t_idx] = True
    ambiguous = np.zeros((C, L, T), dtype=bool)
    if dup.any():
        ambiguous[c_idx[dup], l_idx[dup], t_idx[dup]] = True
        d = act[dup]
        groups = d.groupby(list(KEY), sort=True)["value"].agg(list)
        keys = groups.index.to_frame(index=False)
        found.add(
            "duplicate",
            keys["city"],
            keys["year"],
            keys["month"],
            keys["line"],
            [v[0] for v in groups],
            np.nan,
            [
                f"{ln} for {period_text(y, m)} reported {len(v)} times (values "
                f"{', '.join(_yuan(x) for x in v)} yuan); each line once a month; the repeated amounts are "
                f"not used by the other rules"
                for (_, y, m, ln), v in zip(groups.index, groups)
            ],
        )
    cube = np.full((C, L, T), np.nan)
    ok = ~dup
    cube[c_idx[ok], l_idx[ok], t_idx[ok]] = value[ok]

    # ---- negative
    neg = (value < 0) & ~np.isin(l_idx, [line_pos[ln] for ln in allow_neg])
    if neg.any():
        i = np.flatnonzero(neg)
        found.add(
            "negative",
            city[i],
            year[i],
            month[i],
            line[i],
            value[i],
            0.0,
            [
                f"{line[k]} for {period_text(year[k], month[k])} is negative ({_yuan(value[k])} yuan); "
                f"amounts are >= 0 (pass allow_negative=[{line[k]!r}] if reversals are booked on this line)"
                for k in i
            ],
        )

    # ---- missing_month, missing_line
    city_month = present.any(axis=1)  # C × T
    cm, tm = np.nonzero(~city_month)
    found.add(
        "missing_month",
        cities[cm],
        years_t[tm],
        months_t[tm],
        "",
        np.nan,
        np.nan,
        [
            f"city {cities[c]!r} reported nothing for {period_text(years_t[t], months_t[t])} (the submission "
            f"covers {span})"
            for c, t in zip(cm, tm)
        ],
    )
    for ln in required:
        cr, tr = np.nonzero(city_month & ~present[:, line_pos[ln], :])
        found.add(
            "missing_line",
            cities[cr],
            years_t[tr],
            months_t[tr],
            ln,
            np.nan,
            np.nan,
            [
                f"{ln} is missing for {period_text(years_t[t], months_t[t])} although the city reported other "
                f"lines that month (required_lines)"
                for t in tr
            ],
        )

    # ---- total_mismatch
    for total, parts in TOTAL_LINES.items():
        ti = line_pos[total]
        pi = [line_pos[p] for p in parts]
        tot = cube[:, ti, :]
        usable = present[:, ti, :] & ~ambiguous[:, ti, :] & ~ambiguous[:, pi, :].any(axis=1)
        if not usable.any():
            continue
        s = np.nansum(cube[:, pi, :], axis=1)
        with np.errstate(invalid="ignore"):
            bad = usable & (np.abs(tot - s) > sum_tolerance)
        cb, tb = np.nonzero(bad)
        found.add(
            "total_mismatch",
            cities[cb],
            years_t[tb],
            months_t[tb],
            total,
            tot[cb, tb],
            s[cb, tb],
            [
                f"reported {total} {_yuan(tot[c, t])} yuan for {period_text(years_t[t], months_t[t])} differs "
                f"from the sum of its lines {_yuan(s[c, t])} by {_yuan(tot[c, t] - s[c, t])} (tolerance "
                f"{sum_tolerance:g} yuan)"
                for c, t in zip(cb, tb)
            ],
        )

    # ---- jump
    ji = np.array([line_pos[j] for j in jumps], dtype=np.int64)
    if len(ji) and T > 1:
        x = cube[:, ji, :].reshape(C * len(ji), T)
        d = x[:, 1:] - x[:, :-1]
        n = np.sum(~np.isnan(d), axis=1)
        sel = np.flatnonzero(n >= min_history)
        if len(sel):
            ds, xs = d[sel], x[sel]
            q1, med, q3 = _row_quantiles(ds, (0.25, 0.5, 0.75))
            (mad,) = _row_quantiles(np.abs(ds - med[:, None]), (0.5,))
            (level,) = _row_quantiles(np.abs(xs), (0.5,))
            # The MAD alone collapses on two-valued changes (a series alternating high, low: half the
            # changes +a, half −a, median at one of them, MAD ≈ 0); the IQR does not. Both estimate σ.
            scale = np.maximum.reduce(
                [_MAD_TO_SIGMA * mad, (q3 - q1) / _IQR_TO_SIGMA, jump_floor * level, np.ones_like(mad)]
            )
            with np.errstate(invalid="ignore"):
                flag = np.abs(ds - med[:, None]) > jump_threshold * scale[:, None]
            rs, ts = np.nonzero(flag)
            if len(rs):
                series = sel[rs]
                cc, jj = series // len(ji), series % len(ji)
                tt = ts + 1
                lines_f = np.array(jumps, dtype=object)[jj]
                found.add(
                    "jump",
                    cities[cc],
                    years_t[tt],
                    months_t[tt],
                    lines_f,
                    xs[rs, tt],
                    xs[rs, ts] + med[rs],
                    [
                        f"{lines_f[k]} changed by {_yuan(ds[r, t])} yuan from {period_text(years_t[t], months_t[t])}"
                        f" ({_yuan(xs[r, t])}) to {period_text(years_t[t + 1], months_t[t + 1])} "
                        f"({_yuan(xs[r, t + 1])}); its {n[sel[r]]} changes have median {_yuan(med[r])} and "
                        f"robust spread {_yuan(scale[r])}, so the threshold is ±{jump_threshold:g} × "
                        f"{_yuan(scale[r])} = ±{_yuan(jump_threshold * scale[r])} around the median"
                        for k, (r, t) in enumerate(zip(rs, ts))
                    ],
                )

    # ---- contributions_vs_base
    if any(side[k] is not None for k in ("headcount", "wages", "rates")):
        exp, side_cities = _expected_contributions(side["headcount"], side["wages"], side["rates"])
        ci = line_pos["contributions"]
        e_cube = np.full((C, T), np.nan)
        reason = np.full((C, T), "no headcount", dtype=object)
        pos = np.searchsorted(cities, exp["city"].to_numpy(dtype=object))
        inside = (pos < C) & (cities[np.minimum(pos, C - 1)] == exp["city"].to_numpy(dtype=object))
        te = exp["year"].to_numpy() * 12 + exp["month"].to_numpy() - 1 - p0
        inside &= (te >= 0) & (te < T)
        e_cube[pos[inside], te[inside]] = exp["expected"].to_numpy()[inside]
        reason[pos[inside], te[inside]] = exp["reason"].to_numpy(dtype=object)[inside]
        a = cube[:, ci, :]
        have = present[:, ci, :] & ~ambiguous[:, ci, :]
        with np.errstate(invalid="ignore"):
            off = (
                have & ~np.isnan(e_cube) & (np.abs(a - e_cube) > np.maximum(tolerance * np.abs(e_cube), sum_tolerance))
            )
        co, to = np.nonzero(off)
        found.add(
            "contributions_vs_base",
            cities[co],
            years_t[to],
            months_t[to],
            "contributions",
            a[co, to],
            e_cube[co, to],
            [
                f"contributions {_yuan(a[c, t])} yuan for {period_text(years_t[t], months_t[t])} are "
                f"{(a[c, t] / e_cube[c, t] - 1) * 100:+.1f}% from headcount × wage × rate = "
                f"{_yuan(e_cube[c, t])} (tolerance {tolerance:.1%})"
                if e_cube[c, t]
                else f"contributions {_yuan(a[c, t])} yuan for {period_text(years_t[t], months_t[t])} although "
                f"headcount × wage × rate is 0"
                for c, t in zip(co, to)
            ],
        )
        cn, tn = np.nonzero(have & np.isnan(e_cube))
        found.add(
            "not_checked",
            cities[cn],
            years_t[tn],
            months_t[tn],
            "contributions",
            a[cn, tn],
            np.nan,
            [
                f"contributions for {period_text(years_t[t], months_t[t])} not checked against the base: "
                f"{reason[c, t]} in the side tables"
                for c, t in zip(cn, tn)
            ],
        )
        for extra in sorted(side_cities - set(cities)):
            found.add(
                "not_checked",
                extra,
                years_t[0],
                months_t[0],
                "",
                np.nan,
                np.nan,
                [f"city {extra!r} is in headcount but has no actuals in the submission"],
            )

    # ---- beneficiary_flow
    if side["beneficiaries"] is not None:
        b = _side(
            side["beneficiaries"],
            "beneficiaries",
            ("city", "year", "month"),
            ("line",),
            {"count": (0.0, np.inf), "awards": (0.0, np.inf), "exits": (0.0, np.inf)},
        )
        if "line" not in b.columns:
            b["line"] = ""
        b = b.sort_values(["city", "line", "year", "month"], kind="stable").reset_index(drop=True)
        t = b["year"].to_numpy() * 12 + b["month"].to_numpy()
        same = (
            (b["city"].to_numpy(dtype=object)[1:] == b["city"].to_numpy(dtype=object)[:-1])
            & (b["line"].to_numpy(dtype=object)[1:] == b["line"].to_numpy(dtype=object)[:-1])
            & (np.diff(t) == 1)
        )
        cnt, aw, ex = (b[c].to_numpy() for c in ("count", "awards", "exits"))
        expect = cnt[:-1] + aw[1:] - ex[1:]
        bad = np.flatnonzero(same & (np.abs(cnt[1:] - expect) > count_tolerance)) + 1
        bc, by, bm, bl = (b[c].to_numpy(dtype=object) for c in ("city", "year", "month", "line"))
        found.add(
            "beneficiary_flow",
            bc[bad],
            by[bad].astype("int64"),
            bm[bad].astype("int64"),
            bl[bad],
            cnt[bad],
            expect[bad - 1],
            [
                f"{'beneficiaries' if not bl[k] else bl[k] + ' beneficiaries'} at the end of "
                f"{period_text(by[k], bm[k])}: {cnt[k]:g}, but {cnt[k - 1]:g} the month before + {aw[k]:g} "
                f"awards − {ex[k]:g} exits = {expect[k - 1]:g}"
                for k in bad
            ],
        )
        for extra in sorted(set(b["city"]) - set(cities)):
            found.add(
                "not_checked",
                extra,
                years_t[0],
                months_t[0],
                "",
                np.nan,
                np.nan,
                [f"city {extra!r} is in beneficiaries but has no actuals in the submission"],
            )
    return found.frame()
