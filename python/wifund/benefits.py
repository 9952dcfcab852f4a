"""Benefit amounts for one injured worker or one death, from the policy in force on a date.

``params`` is ``policy.at(date)`` (a :class:`wifund.policy.Params`). The formulas are the C++ ones
the projection uses (``include/wifund/policy/benefits.hpp``), from 工伤保险条例 (Decree 586 text):

>>> import wifund
>>> p = wifund.Policy.load("national").at("2025-06-30")
>>> wifund.benefits.disability_lump_sum(1, 5000, p)
135000.0
>>> wifund.benefits.disability_allowance(1, 5000, 2000, p)
4500.0
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import _core
from ._bridge import benefit_rules as rules

#: Care levels (names from ``_core.care_levels``) and their C++ enum values.
CARE_LEVELS = {name: getattr(_core.CareLevel, name) for name in _core.care_levels}


def own_wage(contribution_wage: float, avg_monthly_wage: float, params: Any) -> float:
    """本人工资 (Art. 64): the 12-month average contribution wage clamped to [60%, 300%] of the
    previous-year pooling-area average monthly wage."""
    return _core.own_wage(contribution_wage, avg_monthly_wage, rules(params))


def disability_lump_sum(grade: int, own_wage: float, params: Any) -> float:
    """一次性伤残补助金 (Art. 35-37): 27, 25, 23, 21, 18, 16, 13, 11, 9, 7 months of own wage for
    grades 1..10."""
    return _core.disability_lump_sum(grade, own_wage, rules(params))


def disability_allowance(grade: int, own_wage: float, min_wage: float, params: Any) -> float:
    """Monthly 伤残津贴 for grades 1..4 (Art. 35): 90/85/80/75% of own wage, raised to the
    minimum wage when below it."""
    return _core.disability_allowance(grade, own_wage, min_wage, rules(params))


def retirement_topup(allowance: float, pension: float, params: Any) -> float:
    """Monthly top-up after retirement (Art. 35): max(0, allowance − basic pension)."""
    return _core.retirement_topup(allowance, pension, rules(params))


def care_allowance(level: str, avg_monthly_wage: float, params: Any) -> float:
    """Monthly 生活护理费 (Art. 34): 50% / 40% / 30% of the previous-year average monthly wage for
    ``level`` "full" / "major" / "partial"."""
    if level not in CARE_LEVELS:
        raise ValueError(f"care_allowance: level {level!r} must be one of {list(CARE_LEVELS)}")
    return _core.care_allowance(CARE_LEVELS[level], avg_monthly_wage, rules(params))


def funeral_grant(avg_monthly_wage: float, params: Any) -> float:
    """丧葬补助金 (Art. 39): 6 × the previous-year average monthly wage."""
    return _core.funeral_grant(avg_monthly_wage, rules(params))


def death_grant(disposable_income: float, params: Any) -> float:
    """一次性工亡补助金 (Art. 39): 20 × the previous-year national urban disposable income per head
    (deaths in 2025: 20 × 54,188 = 1,083,760 yuan)."""
    return _core.death_grant(disposable_income, rules(params))


def medical_subsidy(grade: int, avg_monthly_wage: float, params: Any) -> float:
    """一次性工伤医疗补助金 for grades 5..10 on termination (province-specific months; an
    assumed parameter unless the province file gives them)."""
    return _core.medical_subsidy(grade, avg_monthly_wage, rules(params))


def dependant_pensions(own_wage: float, dependants: Sequence[str], params: Any,
                       lone: bool | Sequence[bool] = False) -> list[float]:
    """Monthly 供养亲属抚恤金 for each dependant (Art. 39).

    Parameters
    ----------
    own_wage
        The deceased worker's own wage (monthly).
    dependants
        ``"spouse"`` (40%) or ``"other"`` (30%) for each dependant.
    lone
        Orphan / lone-elderly flag (+10%): one bool for all, or one per dependant.

    The total at first determination may not exceed the own wage; above it every pension is scaled
    down in proportion.
    """
    flags = [bool(lone)] * len(dependants) if isinstance(lone, bool) else [bool(x) for x in lone]
    if len(flags) != len(dependants):
        raise ValueError(f"dependant_pensions: {len(flags)} lone flags for {len(dependants)} dependants")
    people = []
    for kind, flag in zip(dependants, flags):
        if kind not in ("spouse", "other"):
            raise ValueError(f"dependant_pensions: dependant {kind!r} must be 'spouse' or 'other'")
        people.append((kind == "spouse", flag))
    return _core.dependant_pensions(own_wage, people, rules(params))
