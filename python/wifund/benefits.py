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

import functools
from collections.abc import Mapping, Sequence
from typing import Any, cast

from . import _core
from ._bridge import benefit_rules
from ._checks import InputTypeError, check_bool, check_choice, check_int, check_number, show

#: Care levels (names from ``_core.axes.care_levels``) and their C++ enum values.
CARE_LEVELS = {name: getattr(_core.policy.CareLevel, name) for name in _core.axes.care_levels}


_RULE_KEYS = (
    "benefits.disability.lump_sum_months",
    "benefits.disability.allowance_rate",
    "benefits.disability.minimum_wage_floor",
    "benefits.disability.retirement_topup",
    "benefits.care.rate",
    "benefits.death.funeral_months",
    "benefits.death.grant_income_multiple",
    "benefits.dependants.rate",
    "benefits.dependants.cap_own_wage_multiple",
    "benefits.medical_subsidy_months",
    "benefits.hospital_food_per_day",
    "contribution.base_clamp",
)


def _check_params(params: Any, fn: str) -> None:
    """``params`` from ``policy.at(date)`` was checked when the policy was loaded; a plain mapping is
    checked here against the national declarations (units, ranges, ordered pairs), so that e.g. a
    reversed wage clamp never reaches ``std::clamp``."""
    from .policy import Params

    if isinstance(params, Params):
        return
    if not isinstance(params, Mapping):
        raise InputTypeError(
            f"benefits.{fn}: params = {show(params)}: must be policy.at(date) (a wifund.Params) "
            f"or a mapping of parameter keys, not {type(params).__name__}"
        )
    missing = [k for k in _RULE_KEYS if k not in params]
    if missing:
        raise ValueError(f"benefits.{fn}: params lacks {missing}; pass policy.at(date)")
    _national().override({k: params[k] for k in _RULE_KEYS}, name=f"benefits.{fn} params")


@functools.lru_cache(maxsize=1)
def _national() -> Any:
    from .policy import Policy

    return Policy.load("national")


def _wage(fn: str, name: str, value: Any) -> float:
    return check_number(f"benefits.{fn}: {name}", value, 0)


def rules(params: Any) -> _core.policy.BenefitRules:
    """The C++ benefit rules from resolved policy parameters (``policy.at(date)``, or a mapping with
    the same keys, checked against the national units and ranges); the key-to-field table is
    ``wifund._bridge``."""
    _check_params(params, "rules")
    return benefit_rules(params)


def own_wage(contribution_wage: float, avg_monthly_wage: float, params: Any) -> float:
    """本人工资 (Art. 64): the 12-month average contribution wage clamped to [60%, 300%] of the
    previous-year pooling-area average monthly wage."""
    return _core.policy.own_wage(
        _wage("own_wage", "contribution_wage", contribution_wage),
        _wage("own_wage", "avg_monthly_wage", avg_monthly_wage),
        rules(params),
    )


def disability_lump_sum(grade: int, own_wage: float, params: Any) -> float:
    """一次性伤残补助金 (Art. 35-37): 27, 25, 23, 21, 18, 16, 13, 11, 9, 7 months of own wage for
    grades 1..10."""
    grade = check_int("benefits.disability_lump_sum: grade", grade, 1, 10)
    return _core.policy.disability_lump_sum(grade, _wage("disability_lump_sum", "own_wage", own_wage), rules(params))


def disability_allowance(grade: int, own_wage: float, min_wage: float, params: Any) -> float:
    """Monthly 伤残津贴 for grades 1..4 (Art. 35): 90/85/80/75% of own wage, raised to the
    minimum wage when below it."""
    grade = check_int("benefits.disability_allowance: grade", grade, 1, 4)
    return _core.policy.disability_allowance(
        grade,
        _wage("disability_allowance", "own_wage", own_wage),
        _wage("disability_allowance", "min_wage", min_wage),
        rules(params),
    )


def retirement_topup(allowance: float, pension: float, params: Any) -> float:
    """Monthly top-up after retirement (Art. 35): max(0, allowance − basic pension)."""
    return _core.policy.retirement_topup(
        _wage("retirement_topup", "allowance", allowance), _wage("retirement_topup", "pension", pension), rules(params)
    )


def care_allowance(level: str, avg_monthly_wage: float, params: Any) -> float:
    """Monthly 生活护理费 (Art. 34): 50% / 40% / 30% of the previous-year average monthly wage for
    ``level`` "full" / "major" / "partial"."""
    check_choice("benefits.care_allowance: level", level, list(CARE_LEVELS))
    return _core.policy.care_allowance(
        CARE_LEVELS[level], _wage("care_allowance", "avg_monthly_wage", avg_monthly_wage), rules(params)
    )


def funeral_grant(avg_monthly_wage: float, params: Any) -> float:
    """丧葬补助金 (Art. 39): 6 × the previous-year average monthly wage."""
    return _core.policy.funeral_grant(_wage("funeral_grant", "avg_monthly_wage", avg_monthly_wage), rules(params))


def death_grant(disposable_income: float, params: Any) -> float:
    """一次性工亡补助金 (Art. 39): 20 × the previous-year national urban disposable income per head
    (deaths in 2025: 20 × 54,188 = 1,083,760 yuan)."""
    return _core.policy.death_grant(_wage("death_grant", "disposable_income", disposable_income), rules(params))


def medical_subsidy(grade: int, avg_monthly_wage: float, params: Any) -> float:
    """一次性工伤医疗补助金 for grades 5..10 on termination (province-specific months; an
    assumed parameter unless the province file gives them)."""
    grade = check_int("benefits.medical_subsidy: grade", grade, 5, 10)
    return _core.policy.medical_subsidy(
        grade, _wage("medical_subsidy", "avg_monthly_wage", avg_monthly_wage), rules(params)
    )


def dependant_pensions(
    own_wage: float, dependants: Sequence[str], params: Any, lone: bool | Sequence[bool] = False
) -> list[float]:
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
    fn = "benefits.dependant_pensions"
    own_wage = _wage("dependant_pensions", "own_wage", own_wage)
    if isinstance(dependants, (str, bytes)) or not isinstance(dependants, Sequence):
        raise InputTypeError(
            f"{fn}: dependants = {show(dependants)}: must be a list of 'spouse' / 'other', "
            f"not {type(dependants).__name__}"
        )
    if isinstance(lone, (bool, int)) and not isinstance(lone, Sequence):
        flags = [check_bool(f"{fn}: lone", lone)] * len(dependants)
    else:
        flags = [check_bool(f"{fn}: lone", x, where=f"item {i + 1}") for i, x in enumerate(lone)]
    if len(flags) != len(dependants):
        raise ValueError(
            f"{fn}: lone = {show(list(cast(Sequence[bool], lone)))}: "
            f"{len(flags)} lone flags for {len(dependants)} dependants"
        )
    people = []
    for i, (kind, flag) in enumerate(zip(dependants, flags)):
        if kind not in ("spouse", "other"):
            raise ValueError(f"dependant_pensions: dependant {kind!r} (item {i + 1}) must be 'spouse' or 'other'")
        people.append((kind == "spouse", flag))
    return _core.policy.dependant_pensions(own_wage, people, rules(params))


def family_cap_scale(
    spouses: int, others: int, own_wage: float, cap_wage: float, params: Any, lone: bool = False
) -> float:
    """Art. 39 cap for one family: the factor on every pension of a family of ``spouses`` (0 or 1) spouses
    and ``others`` other dependants (all orphans / lone elderly, +10%, when ``lone``), whose pensions are
    rates x ``own_wage`` (本人工资, clamped) and may together not exceed the cap multiple x ``cap_wage``, the
    deceased's wage before death (生前的工资, unclamped). The projection applies it to each family
    composition of the claims assumptions (``family_compositions``)."""
    for name, v, hi in (("spouses", spouses, 1), ("others", others, 20)):
        check_int(f"benefits.family_cap_scale: {name}", v, 0, hi)
    return _core.policy.family_cap_scale(
        int(spouses),
        int(others),
        bool(lone),
        _wage("family_cap_scale", "own_wage", own_wage),
        _wage("family_cap_scale", "cap_wage", cap_wage),
        rules(params),
    )


#: The groups of the 2024 retirement decision, in the order of ``policy/retirement.hpp``.
RETIREMENT_GROUPS = ("male", "female_cadre", "female_worker")


def retirement_age(birth_year: int, birth_month: int, group: str) -> float:
    """Statutory retirement age in years (years + months / 12) of a person born in
    ``birth_year``-``birth_month``.

    From 2025-01-01 (全国人大常委会关于实施渐进式延迟法定退休年龄的决定, 2024-09-13; 国发〔2024〕18号) men's age rises
    from 60 to 63 and female cadres' from 55 to 58 by one month per 4 months of birth, female workers'
    from 50 to 55 by one month per 2 months; before, the old ages hold. The grade 1-4 disability
    allowance stops and the pension top-up starts at this age (工伤保险条例 Art. 35).

    Parameters
    ----------
    birth_year, birth_month : int
        Year (1900-2200) and month (1-12) of birth.
    group : {"male", "female_cadre", "female_worker"}

    Examples
    --------
    >>> retirement_age(1965, 1, "male")   # 60 years 1 month
    60.083333333333336
    >>> retirement_age(1976, 9, "male")
    63.0
    """
    y = check_int("benefits.retirement_age: birth_year", birth_year, 1900, 2200)
    m = check_int("benefits.retirement_age: birth_month", birth_month, 1, 12)
    g = check_choice("benefits.retirement_age: group", group, RETIREMENT_GROUPS)
    return _core.policy.retirement_age_months(y, m, RETIREMENT_GROUPS.index(g)) / 12.0
