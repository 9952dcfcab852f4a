"""Base-year replay: the engine's rules run on the province's base year itself, against what the province
reports of it.

A projection starts from the base-year end; the base year is the one year whose flows are known. If the
engine's rules, applied to the province's own tables (insured and wages by class, floats, collection, the
long-term stock, the claims basis), do not reproduce the base year's contributions and expenditure, the
first projected year jumps (a wrong float mix makes contributions jump; a stock out of line with the
claims basis makes expenditure jump) and the projection is of a different fund. :func:`replay` measures
this and warns with :class:`ReplayWarning`; :func:`wifund.project` runs it for every projection and every
report carries its warnings.

How the base year is replayed — the engine's own year step (``include/wifund/fund/step.hpp``) over a
one-year context whose start year is the base year:

* **insured and wages**: ``insured.csv`` (the base year's); the state at the start of the year has the wages
  deflated by the year's wage growth assumption, so that the step grows them back to ``insured.csv`` and
  the benefit rules see the previous year's provincial average wage (care, funeral grant), as in a
  projection year;
* **rates**: the policy's base rates for 1 January of the base year × ``avg_float`` × collection rate, and
  the phased cut in force in the base year (``[base_year] phased_cut``; when the province does not give
  it, the policy's rule decides it on the months of payment at the start of the base year, with the
  base-year expenditure standing in for the year before's);
* **the long-term stock**: ``beneficiaries.csv`` is the stock at the base-year end. The stock at its start
  is the same cohorts one year younger, without the base year's own awards (``award_year`` = base year,
  which the engine awards from the base year's injuries), and divided by the survival of the year
  (the engine's mortality, ``1 - q``), so that the step's mortality brings them back to the year-end
  counts. Amounts are taken as in payment through the base year: no indexation and no flat increment is
  applied in the replay year (the amounts in the file already include the base year's);
* **short-term costs**: the claims basis at base-year prices (medical inflation 0 in the replay year), the
  death grant on the previous year's national disposable income (the base year's deflated by its growth
  assumption), paid in the injury year's pattern from a steady state, as in the first projection year;
* **the balance**: the opening balance of the base year = the reported closing balance (``[fund]
  opening_balance``, the balance at the base-year end) − (reported revenue − reported expenditure), where
  revenue items the province does not report (``[fund.base_revenue_items]``) are the replayed ones; the
  interest depends on the opening balance, so the replay is run twice (the second time from the opening
  balance found with the first run's interest). Prevention spending is capped on the base year's own
  contributions (the year before's are not in the province's data);
* construction-project contract values, insured numbers and minimum wages do not grow in the replay year
  (they are the base year's).

The replayed figures are compared with the reported ones: ``[fund] base_contributions`` and
``base_expenditure``, the items of ``[fund.base_revenue_items]`` / ``[fund.base_expenditure_items]``
where given, and the closing balance.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._bridge import (
    build_base,
    build_claims,
    build_economy,
    build_mortality,
    life_table,
    resolve_policy_year,
)
from ._checks import InputTypeError, check_number, check_type, show
from .assumptions import Assumptions
from .policy import Policy
from .province import Province

__all__ = ["ReplayWarning", "replay", "replay_messages", "base_year_rules", "CHECKED_ITEMS", "DEFAULT_TOLERANCE"]

#: Default tolerance of the replay: |replayed / reported − 1| above it on a checked item warns.
DEFAULT_TOLERANCE = 0.05
#: Items always checked against the tolerance; reported expenditure items are checked too.
CHECKED_ITEMS = ("contributions", "expenditure")

REVENUE_ITEMS: list[str] = list(_core.axes.revenue_items)
EXPENDITURE_ITEMS: list[str] = list(_core.axes.expenditure_items)


class ReplayWarning(UserWarning):
    """The engine's rules do not reproduce the province's base year: a checked item (contributions,
    expenditure, a reported expenditure item) is off by more than the tolerance. The message names the
    item and both figures."""


def _resolve_policy(province: Province, policy: Policy | str | Path | None, fn: str) -> Policy:
    if policy is None:
        policy = province.default_policy
    if not isinstance(policy, (Policy, str, Path)):
        raise InputTypeError(
            f"{fn}: policy = {show(policy)}: must be a wifund.Policy, a packaged policy name "
            f"{Policy.available()} or a TOML path, not {type(policy).__name__}"
        )
    return policy if isinstance(policy, Policy) else Policy.load(policy)


def base_year_rules(policy: Policy) -> Policy:
    """The policy without its :meth:`Policy.override` layers: the rules the base year was run under.

    :func:`wifund.project` replays the base year under these: a plain override is in force on every date
    and is a scenario (a reform, a rate multiplier), not what happened in the base year. To replay under
    an overridden policy, call :func:`replay` with it; rules that did hold in the base year belong in a
    policy TOML layer."""
    layers = getattr(policy, "_layers", ())
    kept = tuple(
        layer for layer in layers if not (layer.origin.startswith("policy ") and ": override " in layer.origin)
    )
    if not kept or len(kept) == len(layers):
        return policy
    return Policy(kept, name=kept[0].name)


def check_tolerance(tolerance: Any, fn: str = "replay") -> float:
    """The replay tolerance: a finite number > 0 (a fraction: 0.05 = 5 %)."""
    return check_number(f"{fn}: tolerance", tolerance, 0.0, lo_open=True)


def _base_year_policy(policy: Policy, province: Province) -> Any:
    """The resolved policy year of the base year, with the base year's phased cut and no indexation."""
    year = province.base_year
    p, _ = resolve_policy_year(policy, year)
    cut = province.base_year_data.phased_cut
    if cut is not None:
        # The reported cut applies whatever the months of payment: a rule with both thresholds far below
        # any balance and both reductions equal to the cut (inactive when the cut is 0).
        rule = p.cut
        rule.active = cut > 0
        if cut > 0:
            rule.lower_months = rule.upper_months = -1e300
            rule.lower_cut = rule.upper_cut = cut
            # the whole year, fully taken up, never stopped (the rule's discretion is in the reported cut)
            rule.take_up = rule.year_share = 1.0
            rule.stop_months = 0.0
        p.cut = rule
    # The amounts in beneficiaries.csv are those in payment in the base year: no indexation, no
    # re-basing of care and no flat increment in the replay year.
    ix = p.indexation
    ix.percentage = False
    ix.care_follows_wage = False
    p.indexation = ix
    p.increments = []
    return p


def _survival(stock: pd.DataFrame, claims: Any, assumptions: Assumptions) -> np.ndarray:
    """1 − q of each cohort over the base year, from the engine's mortality basis (tables and loads)."""
    disabled = assumptions.claim("mortality_disabled")
    dependants = assumptions.claim("mortality_dependants")
    dis_load = np.asarray(claims.disabled_mortality_load, dtype=float)
    male = (stock["sex"] == _core.axes.sexes[0]).to_numpy()
    disabled_kind = stock["kind"].isin(["allowance", "care", "legacy_subsidy"]).to_numpy()  # as cohort_q
    grade_slot = np.clip(stock["grade"].to_numpy(dtype=int), 1, len(dis_load)) - 1
    names = [str(disabled[0]), str(disabled[1]), str(dependants[0]), str(dependants[1])]
    # the table of each row as a small integer (string arrays cost ~1 s per comparison pass at 900 cities)
    table = np.where(disabled_kind, 0, 2) + np.where(male, 0, 1)
    load = np.where(disabled_kind, dis_load[grade_slot], float(claims.dependant_mortality_load))
    ages = stock["age"].to_numpy(dtype=int)
    out = np.empty(len(stock))
    top = int(ages.max()) if len(ages) else 0
    loads, load_code = np.unique(load, return_inverse=True)
    for t in np.unique(table):
        lt = life_table(names[int(t)])
        in_table = table == t
        for k in np.unique(load_code[in_table]):
            rows = in_table & (load_code == k)
            ld = float(loads[k])
            q = np.array([lt.q(a, ld) for a in range(top + 1)], dtype=float)
            out[rows] = q[ages[rows]]
    return 1.0 - out


def _start_stock(province: Province, claims: Any, assumptions: Assumptions) -> pd.DataFrame:
    """The long-term stock at the start of the base year (see the module docstring)."""
    ben = province.beneficiaries
    start = ben[ben["award_year"] < province.base_year].copy()
    start["age"] = (start["age"] - 1).clip(lower=0)
    surv = _survival(start, claims, assumptions)
    start["count"] = start["count"].to_numpy(dtype=float) / np.where(surv > 0, surv, 1.0)
    return start.reset_index(drop=True)


class _StartOfYear:
    """The province with the stock at the start of the base year (what :func:`build_base` reads)."""

    def __init__(self, province: Province, stock: pd.DataFrame) -> None:
        self._province = province
        self.beneficiaries = stock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._province, name)


class _BaseYearRun:
    """The engine inputs of the replay year, built once; :meth:`run` projects it from an opening balance."""

    def __init__(self, province: Province, policy: Policy, assumptions: Assumptions) -> None:
        year = province.base_year
        years = [year]
        cities = province.city_names
        economy = build_economy(province, assumptions, years)
        wage_growth = np.asarray(economy.wage_growth, dtype=float)[:, 0]
        zeros = np.zeros((len(cities), 1))
        economy.employment_growth = zeros
        economy.coverage_growth = zeros
        economy.minimum_wage = province.cities["minimum_wage"].to_numpy(dtype=float)[:, None]
        economy.medical_inflation = np.zeros(1)
        economy.project_growth = np.zeros(1)
        self.scenario = _core.fund.Scenario(economy, [1.0] * len(_core.axes.risk_classes), 1.0)
        self.claims = build_claims(assumptions, years)
        self.mortality = build_mortality(assumptions)
        self.policy_year = _base_year_policy(policy, province)
        b = build_base(_StartOfYear(province, _start_stock(province, self.claims, assumptions)))
        b.base_year = year - 1
        b.wage = np.asarray(b.wage, dtype=float) / (1.0 + wage_growth)[:, None]
        ndi_growth = float(assumptions.path("disposable_income_growth", years)[0])
        b.disposable_income = province.national_disposable_income / (1.0 + ndi_growth)
        self.base = b
        self.reserve = province.fund["opening_reserve"]

    def run(self, opening: float) -> dict[str, Any]:
        """One engine run of the base year from ``opening`` (the balance at the start of the base year)."""
        self.base.opening_balance = opening
        self.base.opening_reserve = min(self.reserve, max(opening, 0.0))
        ctx = _core.fund.make_context(self.base, [self.policy_year], self.claims, self.mortality, 1)
        return _core.fund.project(ctx, self.scenario)


def _replay_frame(province: Province, policy: Policy, assumptions: Assumptions) -> tuple[pd.DataFrame, dict[str, Any]]:
    fund = province.fund
    byd = province.base_year_data
    engine = _BaseYearRun(province, policy, assumptions)
    closing_reported = fund["opening_balance"]
    expenditure_reported = fund["base_expenditure"]

    def reported_revenue(raw: dict[str, Any]) -> float:
        total = fund["base_contributions"]
        for item in REVENUE_ITEMS:
            if item == "contributions":
                continue
            total += byd.revenue[item] if item in byd.revenue else float(raw[item][0])
        return total

    # First run from the opening balance without the unreported items, then from the opening balance
    # implied with the first run's replayed items. The interest moves with the opening balance at the
    # interest rate of the year (mid-year interest on the opening balance and half the net flow), so
    # when the interest is not reported the implied opening O solves O = closing - (R0 + r (O - O0) - E).
    opening0 = closing_reported - (fund["base_contributions"] + sum(byd.revenue.values()) - expenditure_reported)
    raw = engine.run(max(opening0, 0.0))
    opening = closing_reported - (reported_revenue(raw) - expenditure_reported)
    if "interest" not in byd.revenue:
        r = float(assumptions.path("interest_rate", [province.base_year])[0])
        opening = (opening + r * opening0) / (1.0 + r)
    implied = opening
    # A negative implied opening (a closing balance below the year's deficit) cannot start the engine
    # (no negative balance earns interest): the replay starts from 0 and says so.
    raw = engine.run(max(opening, 0.0))

    by_item = np.asarray(raw["city_expenditure"], dtype=float)[:, 0, :].sum(axis=0)
    rows: list[tuple[str, float, float]] = [
        ("contributions", fund["base_contributions"], float(raw["contributions"][0]))
    ]
    rows += [(k, v, float(raw[k][0])) for k, v in byd.revenue.items()]
    rows.append(("expenditure", expenditure_reported, float(raw["expenditure"][0])))
    rows += [
        (k, byd.expenditure[k], float(by_item[i])) for i, k in enumerate(EXPENDITURE_ITEMS) if k in byd.expenditure
    ]
    rows.append(("closing", closing_reported, float(raw["closing"][0])))
    frame = pd.DataFrame(rows, columns=["item", "reported", "replayed"]).set_index("item")
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["ratio"] = np.where(frame["reported"] != 0, frame["replayed"] / frame["reported"], np.nan)
    info = {
        "base_year": province.base_year,
        "opening": float(raw["opening"][0]),
        "implied_opening": implied,
        "phased_cut": float(raw["phased_cut"][0]),
        "phased_cut_source": byd.phased_cut_source,
        "float_source": byd.float_source,
        "checked": list(CHECKED_ITEMS) + [k for k in EXPENDITURE_ITEMS if k in byd.expenditure],
    }
    return frame, info


def _messages(frame: pd.DataFrame, province: Province, checked: list[str], tolerance: float) -> list[str]:
    out = []
    for item in checked:
        reported, replayed, ratio = (float(frame.at[item, c]) for c in ("reported", "replayed", "ratio"))
        off = math.isnan(ratio) and replayed != 0 or not math.isnan(ratio) and abs(ratio - 1.0) > tolerance
        if off:
            rel = "" if math.isnan(ratio) else f" ({ratio - 1:+.1%})"
            out.append(
                f"{province.name}: base-year replay {province.base_year}: {item} replayed by the engine's rules "
                f"{replayed:,.0f} yuan against {reported:,.0f} yuan reported in province.toml{rel}, off by "
                f"more than the tolerance of {tolerance:.1%}; the projection does not start from the fund the "
                "province reports (check insured.csv floats and rates, the phased cut, beneficiaries.csv)"
            )
    return out


def replay_messages(
    province: Province,
    policy: Policy | str | Path | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    assumptions: Assumptions | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """The replay frame of :func:`replay` and its warning messages, without warning."""
    check_type("replay: province", province, Province, "a wifund.Province (Province.demo() or Province.from_dir)")
    tolerance = check_tolerance(tolerance)
    pol = _resolve_policy(province, policy, "replay")
    if assumptions is None:
        assumptions = Assumptions.default()
    check_type("replay: assumptions", assumptions, Assumptions, "a wifund.Assumptions or None")
    frame, info = _replay_frame(province, pol, assumptions)
    messages = _messages(frame, province, info["checked"], tolerance)
    if info["implied_opening"] < 0:
        messages.append(
            f"{province.name}: base-year replay {province.base_year}: the reported closing balance "
            f"{province.fund['opening_balance']:,.0f} yuan and the base-year flows imply a negative balance of "
            f"{info['implied_opening']:,.0f} yuan at the start of {province.base_year}; the replay starts from 0"
        )
    frame.attrs.update(info, tolerance=tolerance, warnings=list(messages), province=province.name)
    return frame, messages


def replay(
    province: Province,
    policy: Policy | str | Path | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """Runs the engine's rules on the province's base year and compares them with what it reports.

    Parameters
    ----------
    province
        The province (:meth:`Province.demo`, :meth:`Province.from_dir`).
    policy
        A :class:`~wifund.policy.Policy`, a packaged policy name or a TOML path; default the province's
        ``default_policy``.
    tolerance
        Relative tolerance (> 0; 0.05 = 5 %) on the checked items: contributions, expenditure and each
        expenditure item the province reports. An item off by more warns with :class:`ReplayWarning`.
    assumptions
        The assumptions of the base year (claims basis, wage growth, interest); default
        :meth:`Assumptions.default`.

    Returns
    -------
    pandas.DataFrame
        Indexed by item — ``contributions``, the reported revenue items, ``expenditure``, the reported
        expenditure items, ``closing`` — with columns ``reported``, ``replayed`` and ``ratio`` (replayed /
        reported). ``attrs`` holds the base year, the replayed opening balance of the base year, the phased
        cut applied, the tolerance, the checked items and the warning messages.
    """
    frame, messages = replay_messages(province, policy, tolerance, assumptions)
    for m in messages:
        warnings.warn(m, ReplayWarning, stacklevel=2)
    return frame
