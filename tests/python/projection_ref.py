"""A second implementation of the projection, in plain Python, written from the model as documented in
the README ("The projection model") and reading Province, Assumptions and Policy directly — not the
C++ structs the binding builds. Slow and simple on purpose: it is the independent calculation the
engine is tested against (test_projection_reference.py)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from wifund.province import RISK_CLASSES


def _tables():
    from importlib import resources

    return pd.read_csv(str(resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv"))


# ------------------------------------------------------------------------------------------------
# Indexation and increments (docs/policy.md "Indexation and increments"), written from the texts:
# - 人社部发〔2017〕58号: a round may give everyone in a grade the same yuan, rate x the previous
#   year's provincial average monthly amount of the grade (allowance grades, care levels, each kind
#   of dependant), over the people in payment last year;
# - a flat round (吉人社发〔2022〕24号, 〔2023〕5号): + the amount of the grade for people awarded on or
#   before the cut-off, and "+30 if the result is below" the floor, for the allowance;
# - the hospital food standard (条例 Art. 30) grows by the policy's rate a year between notices, the
#   growth never above the cap (58号), the standard itself always paid.
# ------------------------------------------------------------------------------------------------
_CARE_ORDER = ("full", "major", "partial")  # order of the care amounts in an increment round


def _round_group(x):
    """People a flat-by-grade round treats alike."""
    if x["kind"] == "allowance":
        return ("allowance", x["grade"])
    if x["kind"] == "care":
        return ("care", x["care_level"])
    return (x["kind"],)


def _last_year_averages(cohorts, y):
    """Average monthly amount of each group over those in payment in y - 1 (head count at 1 January)."""
    tot, heads = {}, {}
    for x in cohorts:
        if x["award_year"] < y and x["count"] > 0:
            k = _round_group(x)
            tot[k] = tot.get(k, 0.0) + x["count"] * x["monthly_amount"]
            heads[k] = heads.get(k, 0.0) + x["count"]
    return {k: tot[k] / heads[k] for k in tot}


def _by_grade_increase(x, mid, averages):
    rates = mid["benefits.indexation.grade_average_rate"]
    family = x["kind"] if x["kind"] in ("allowance", "care") else "dependants"
    return rates[family] * averages.get(_round_group(x), 0.0)


def _flat_round(x, ev):
    """One flat increment round for one cohort (already known to be eligible)."""
    if x["kind"] == "allowance":
        x["monthly_amount"] += ev["allowance"][x["grade"] - 1]
        if x["monthly_amount"] < ev["floor"]:  # "调整后…不足 F 元的, 再增加 Y 元"
            x["monthly_amount"] += ev["floor_topup"]
    elif x["kind"] == "care":
        x["monthly_amount"] += ev["care"][_CARE_ORDER.index(x["care_level"])]
    else:
        base = ev["spouse"] if x["kind"] == "spouse" else ev["other"]
        x["monthly_amount"] += base + (ev["lone_extra"] if x["lone"] else 0.0)


def _awarded_by(x, cutoff):
    # Awards of a year are made on average on 1 July of it.
    return dt.date(x["award_year"], 7, 1) <= cutoff


def _food_per_day(mid):
    key = "benefits.hospital_food_per_day"
    standard = mid[key]
    n = max(mid.date.year - mid.effective_from(key).year, 0)
    grown = standard * (1 + mid["benefits.hospital_food.growth"]) ** n
    return max(standard, min(grown, mid["benefits.hospital_food.cap_per_day"]))


def reference_projection(province, policy, a, years: int) -> dict:
    qx = _tables()
    cities = province.city_names
    ys = list(range(province.base_year + 1, province.base_year + 1 + years))
    ins = province.insured.set_index(["city", "risk_class"])
    N = {key: float(v) for key, v in ins["insured"].items()}
    W = {key: float(v) for key, v in ins["avg_monthly_wage"].items()}
    F = {key: float(v) for key, v in ins["avg_float"].items()}
    proj_value = {c: float(province.cities.loc[c, "project_value"]) for c in cities}
    inc = a.incidence_matrix(ys)
    claim = a.claim

    def aw_of(n, w):
        tot = sum(n.values())
        return sum(n[k] * w[k] for k in n) / tot

    def q(table, age, load):
        col = qx[table].to_numpy()
        return 1.0 if age >= len(col) - 1 else min(col[max(age, 0)] * load, 1.0)

    dis_m, dis_f = claim("mortality_disabled")
    dep_m, dep_f = claim("mortality_dependants")
    loads = claim("disabled_mortality_load")

    def q_of(c):
        if c["kind"] in ("allowance", "care"):
            return q(dis_m if c["sex"] == "M" else dis_f, c["age"], loads[min(max(c["grade"], 1), 4) - 1])
        return q(dep_m if c["sex"] == "M" else dep_f, c["age"], claim("dependant_mortality_load"))

    cohorts = [dict(r) for r in province.beneficiaries.to_dict("records")]
    for c in cohorts:
        c["grade"], c["age"], c["award_year"] = int(c["grade"]), int(c["age"]), int(c["award_year"])
        c["retired"], c["lone"] = bool(c["retired"]), bool(c["lone"])
    aw_prev = aw_of(N, W)
    di_prev = province.national_disposable_income
    balance, reserve = province.fund["opening_balance"], province.fund["opening_reserve"]
    months_prev = balance / (province.fund["base_expenditure"] / 12)
    contrib_prev = province.fund["base_contributions"]
    med_index = 1.0
    pattern = list(claim("payment_pattern"))
    incurred = {c: [] for c in cities}
    short_items = [
        "medical",
        "rehabilitation",
        "assistive_devices",
        "hospital_food",
        "appraisal",
        "disability_lump_sum",
        "medical_subsidy",
        "funeral_grant",
        "death_grant",
    ]
    econ = {
        name: a.city_path(name, ys, cities)
        for name in ("wage_growth", "employment_growth", "coverage_growth", "collection_rate", "minimum_wage_growth")
    }
    min_wage = province.cities["minimum_wage"].to_numpy()[:, None] * np.cumprod(1 + econ["minimum_wage_growth"], axis=1)
    out = {
        k: []
        for k in (
            "contributions",
            "project_premiums",
            "interest",
            "expenditure",
            "closing",
            "reserve",
            "months_of_payment",
        )
    }
    items_out = []
    for j, y in enumerate(ys):
        jan, mid = policy.at(dt.date(y, 1, 1)), policy.at(dt.date(y, 7, 1))
        for ci, c in enumerate(cities):
            for k in RISK_CLASSES:
                if (c, k) in N:
                    N[(c, k)] *= (1 + econ["employment_growth"][ci, j]) * (1 + econ["coverage_growth"][ci, j])
                    W[(c, k)] *= 1 + econ["wage_growth"][ci, j]
        aw = aw_of(N, W)
        g_prov = aw / aw_prev - 1
        med_index *= 1 + a.path("medical_inflation", ys)[j]
        active = bool(jan["contribution.phased_cut.active"])
        cut = 0.0
        if active:
            lo, hi = jan["contribution.phased_cut.thresholds_months"]
            r_lo, r_hi = jan["contribution.phased_cut.reductions"]
            cut = r_hi if months_prev >= hi else r_lo if months_prev >= lo else 0.0
        base_rates = dict(
            zip(
                RISK_CLASSES,
                list(jan["contribution.base_rate"]) + [jan.get("contribution.unclassified_rate", math.nan)],
            )
        )
        items = {c: {} for c in cities}
        contributions = projects = payroll_total = 0.0
        care_rate = mid["benefits.care.rate"]
        dep = mid["benefits.dependants.rate"]
        clamp = mid["contribution.base_clamp"]
        months_ls = mid["benefits.disability.lump_sum_months"]
        allow_rate = mid["benefits.disability.allowance_rate"]
        new = []
        for ci, c in enumerate(cities):
            cc = 0.0
            injuries = injured_wage = 0.0
            for ki, k in enumerate(RISK_CLASSES):
                if (c, k) not in N or N[(c, k)] <= 0:
                    continue
                n, w = N[(c, k)], W[(c, k)]
                payroll = n * w * 12
                payroll_total += payroll
                coll = econ["collection_rate"][ci, j]
                if math.isnan(coll):
                    coll = province.cities.loc[c, "collection_rate"]
                cc += payroll * base_rates[k] * F[(c, k)] * (1 - cut) * coll
                i_ck = n * inc[j, ki]
                injuries += i_ck
                injured_wage += i_ck * min(max(w, clamp[0] * aw_prev), clamp[1] * aw_prev)
            proj_value[c] *= 1 + a.path("project_growth", ys)[j]
            pp = proj_value[c] * jan["contribution.project_rate"] * (1 - cut)
            contributions += cc
            projects += pp
            ow = injured_wage / injuries if injuries else 0.0
            deaths = injuries * claim("death_share")
            gs = claim("grade_share")
            term = claim("termination_share")
            sub = mid["benefits.medical_subsidy_months"]
            cost = {
                "medical": injuries * claim("medical_cost") * med_index,
                "rehabilitation": injuries * claim("rehabilitation_cost") * med_index,
                "assistive_devices": injuries * claim("device_cost") * med_index,
                "hospital_food": injuries * claim("hospital_days") * _food_per_day(mid),
                "appraisal": injuries * claim("appraisal_share") * claim("appraisal_fee") * med_index,
                "disability_lump_sum": sum(injuries * gs[g] * months_ls[g] * ow for g in range(10)),
                "medical_subsidy": sum(injuries * gs[g] * term[g - 4] * sub[g - 4] * aw_prev for g in range(4, 10)),
                "funeral_grant": deaths * mid["benefits.death.funeral_months"] * aw_prev,
                "death_grant": deaths * mid["benefits.death.grant_income_multiple"] * di_prev,
            }
            incurred[c].append(cost)
            for item in short_items:
                items[c][item] = sum(p * incurred[c][max(j - ln, 0)][item] for ln, p in enumerate(pattern))
            # New long-term awards.
            male = claim("male_share")
            for age, wa in zip(claim("entry_ages"), claim("entry_age_weights")):
                for sex, ws in (("M", male), ("F", 1 - male)):
                    w = wa * ws
                    for g in range(4):
                        nn = injuries * gs[g] * w
                        new.append(
                            dict(
                                city=c,
                                kind="allowance",
                                grade=g + 1,
                                care_level="",
                                sex=sex,
                                age=age,
                                count=nn,
                                monthly_amount=allow_rate[g] * ow,
                                pension=0.0,
                                award_year=y,
                                retired=False,
                                lone=False,
                            )
                        )
                        for li, lvl in enumerate(("full", "major", "partial")):
                            new.append(
                                dict(
                                    city=c,
                                    kind="care",
                                    grade=g + 1,
                                    care_level=lvl,
                                    sex=sex,
                                    age=age,
                                    count=nn * claim("care_share")[g][li],
                                    monthly_amount=care_rate[lvl] * aw_prev,
                                    pension=0.0,
                                    award_year=y,
                                    retired=False,
                                    lone=False,
                                )
                            )
                    d = deaths * w
                    others = claim("children_per_death") + claim("parents_per_death")
                    fam = (
                        claim("spouses_per_death") * dep["spouse"]
                        + others * dep["other"]
                        + others * claim("lone_share") * dep["lone_extra"]
                    )
                    cap = mid["benefits.dependants.cap_own_wage_multiple"]
                    scale = cap / fam if fam > cap else 1.0
                    other_sex = "F" if sex == "M" else "M"
                    new.append(
                        dict(
                            city=c,
                            kind="spouse",
                            grade=0,
                            care_level="",
                            sex=other_sex,
                            age=max(age + claim("spouse_age_offset"), 16),
                            count=d * claim("spouses_per_death"),
                            monthly_amount=scale * dep["spouse"] * ow,
                            pension=0.0,
                            award_year=y,
                            retired=False,
                            lone=False,
                        )
                    )
                    for lone in (False, True):
                        share = claim("lone_share") if lone else 1 - claim("lone_share")
                        amount = scale * (dep["other"] + (dep["lone_extra"] if lone else 0)) * ow
                        for kind, per, kage in (
                            ("child", "children_per_death", "child_age"),
                            ("parent", "parents_per_death", "parent_age"),
                        ):
                            for s in (sex, other_sex):
                                new.append(
                                    dict(
                                        city=c,
                                        kind=kind,
                                        grade=0,
                                        care_level="",
                                        sex=s,
                                        age=claim(kage),
                                        count=0.5 * d * claim(per) * share,
                                        monthly_amount=amount,
                                        pension=0.0,
                                        award_year=y,
                                        retired=False,
                                        lone=lone,
                                    )
                                )
            for item in ("disability_allowance", "allowance_topup", "care_allowance", "dependant_pension"):
                items[c][item] = 0.0
        cohorts.extend(x for x in new if x["count"] > 0)
        # Long-term cohorts.
        wa_w = mid["benefits.indexation.allowance_wage_weight"]
        wd_w = mid["benefits.indexation.dependant_wage_weight"]
        pct = mid["benefits.indexation.mode"] == "percentage"
        cpi = a.path("cpi", ys)[j]
        ages = mid["retirement.age"]
        by_grade = mid["benefits.indexation.mode"] == "flat_by_grade"
        averages = _last_year_averages(cohorts, y) if by_grade else {}
        rounds = policy.increments(dt.date(y, 1, 1), dt.date(y, 12, 31))
        for x in cohorts:
            award = x["award_year"] == y
            if not award:
                left_out = mid["benefits.indexation.exclude_retired"] and x["retired"]
                if pct and x["kind"] == "allowance":
                    f = 1 + wa_w * g_prov + (1 - wa_w) * cpi
                    if not left_out:
                        x["monthly_amount"] *= f
                    x["pension"] *= f
                elif pct and x["kind"] in ("spouse", "child", "parent"):
                    x["monthly_amount"] *= 1 + wd_w * g_prov + (1 - wd_w) * cpi
                if by_grade and not left_out:
                    x["monthly_amount"] += _by_grade_increase(x, mid, averages)
                if x["kind"] == "care" and mid["benefits.indexation.care_follows_wage"]:
                    x["monthly_amount"] = max(x["monthly_amount"], care_rate[x["care_level"]] * aw_prev)
                for ev in rounds:
                    if _awarded_by(x, ev["cutoff"]) and not (ev["exclude_retired"] and x["retired"]):
                        _flat_round(x, ev)
                if (
                    x["kind"] == "allowance"
                    and not x["retired"]
                    and x["age"] >= ages["male" if x["sex"] == "M" else "female"]
                ):
                    x["retired"] = True
                    x["pension"] = claim("retirement_pension_ratio") * x["monthly_amount"]
                if x["kind"] == "child" and x["age"] >= 18:
                    x["count"] = 0.0
            if x["count"] <= 0:
                continue
            qq = q_of(x)
            exposure = 0.5 if award else 1.0
            n_pay = x["count"] * (1 - 0.5 * exposure * qq) * exposure
            ci = cities.index(x["city"])
            if x["kind"] == "allowance":
                allowance = max(x["monthly_amount"], min_wage[ci, j])
                monthly = max(0.0, allowance - x["pension"]) if x["retired"] else allowance
                item = "allowance_topup" if x["retired"] else "disability_allowance"
            else:
                monthly = x["monthly_amount"]
                item = "care_allowance" if x["kind"] == "care" else "dependant_pension"
            items[x["city"]][item] += n_pay * 12 * monthly
            x["count"] *= 1 - exposure * qq
            x["age"] += 1
        cohorts = [x for x in cohorts if x["count"] >= 1e-9]
        prevention = min(a.path("prevention_share", ys)[j], mid.get("prevention.cap_ratio", 0.0)) * contrib_prev
        expenditure = sum(sum(v.values()) for v in items.values()) + prevention
        other = a.path("other_income", ys)[j]
        interest = a.path("interest_rate", ys)[j] * (balance + 0.5 * (contributions + projects + other - expenditure))
        revenue = contributions + projects + interest + other
        balance += revenue - expenditure
        base = contributions + projects if mid["reserve.base"] == "contributions" else expenditure
        reserve = min(reserve + mid["reserve.ratio"] * base, mid["reserve.cap_ratio"] * base)
        reserve = min(max(reserve, 0.0), max(balance, 0.0))
        months = balance / (expenditure / 12)
        for k, v in (
            ("contributions", contributions),
            ("project_premiums", projects),
            ("interest", interest),
            ("expenditure", expenditure),
            ("closing", balance),
            ("reserve", reserve),
            ("months_of_payment", months),
        ):
            out[k].append(v)
        tot = {item: sum(items[c][item] for c in cities) for item in items[cities[0]]}
        tot["prevention"] = prevention
        items_out.append(tot)
        months_prev, contrib_prev, aw_prev = months, contributions + projects, aw
        di_prev *= 1 + a.path("disposable_income_growth", ys)[j]
    fund = pd.DataFrame(out, index=pd.Index(ys, name="year"))
    return {"fund": fund, "items": pd.DataFrame(items_out, index=fund.index)}
