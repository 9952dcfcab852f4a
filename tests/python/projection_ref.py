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


def reference_projection(province, policy, a, years: int, rate_review=None) -> dict:
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
    # AW_{t-1} for benefits: the published 全口径 average wage of t-1 (annual / 12) where given; after
    # the last published year, the insured average moved with the insured wage growth.
    published = {int(k): float(v) / 12 for k, v in (a.paths.get("published_avg_wage") or {}).items()}
    insured_aw_prev, pub_over_insured = aw_prev, 1.0
    # Fiscal advance outstanding (条例 Art. 13 垫付) and the 以支定收 rate-review multiplier.
    owed = 0.0
    multiplier_in_force, multiplier_decided, scheduled = 1.0, 1.0, {}
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
            "phased_cut",
            "fiscal_advance",
            "advance_repayment",
            "advance_outstanding",
            "reserve_use",
            "rate_multiplier",
            "benefit_avg_wage",
        )
    }
    items_out = []
    for j, y in enumerate(ys):
        jan, mid = policy.at(dt.date(y, 1, 1)), policy.at(dt.date(y, 7, 1))
        if y - 1 in published:
            pub_over_insured = published[y - 1] / insured_aw_prev
        aw_prev = insured_aw_prev * pub_over_insured
        for ci, c in enumerate(cities):
            for k in RISK_CLASSES:
                if (c, k) in N:
                    N[(c, k)] *= (1 + econ["employment_growth"][ci, j]) * (1 + econ["coverage_growth"][ci, j])
                    W[(c, k)] *= 1 + econ["wage_growth"][ci, j]
        aw = aw_of(N, W)
        g_prov = aw / insured_aw_prev - 1
        med_index *= 1 + a.path("medical_inflation", ys)[j]
        # Phased cut: month by month, the months of year y inside a window (the rule on the 1st of
        # the month) carry the cut of the tier given by last year-end's months, times the take-up;
        # below stop_months the cut stops (停止下调).
        inside = [m for m in range(1, 13) if policy.at(dt.date(y, m, 1))["contribution.phased_cut.active"]]
        cut = 0.0
        if inside:
            pm = policy.at(dt.date(y, inside[0], 1))
            if months_prev >= pm["contribution.phased_cut.stop_months"]:
                lo, hi = pm["contribution.phased_cut.thresholds_months"]
                r_lo, r_hi = pm["contribution.phased_cut.reductions"]
                tier = r_hi if months_prev >= hi else r_lo if months_prev >= lo else 0.0
                cut = tier * pm["contribution.phased_cut.take_up"] * len(inside) / 12
        # Rate review (以支定收): decisions take effect lag years after the review year.
        if y in scheduled:
            multiplier_in_force = scheduled.pop(y)
        rr = dict(
            active=jan["rate_review.active"],
            band_months=jan["rate_review.band_months"],
            first_year=jan["rate_review.first_year"],
            cycle_years=jan["rate_review.cycle_years"],
            step=jan["rate_review.step"],
            bounds=jan["rate_review.bounds"],
            lag_years=jan["rate_review.lag_years"],
        )
        if rate_review is not None:
            rr.update({"active": True, **rate_review})
        if rr["active"] and y >= rr["first_year"] and (y - rr["first_year"]) % rr["cycle_years"] == 0:
            low, high = rr["band_months"]
            if months_prev < low:
                multiplier_decided += rr["step"]
            elif months_prev > high:
                multiplier_decided -= rr["step"]
            multiplier_decided = min(max(multiplier_decided, rr["bounds"][0]), rr["bounds"][1])
            if rr["lag_years"] == 0:
                multiplier_in_force = multiplier_decided
            else:
                scheduled[y + rr["lag_years"]] = multiplier_decided
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
                cc += payroll * base_rates[k] * multiplier_in_force * F[(c, k)] * (1 - cut) * coll
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
                "hospital_food": injuries * claim("hospital_days") * mid["benefits.hospital_food_per_day"],
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
        for x in cohorts:
            award = x["award_year"] == y
            if not award:
                if pct and x["kind"] == "allowance":
                    f = 1 + wa_w * g_prov + (1 - wa_w) * cpi
                    x["monthly_amount"] *= f
                    x["pension"] *= f
                elif pct and x["kind"] in ("spouse", "child", "parent"):
                    x["monthly_amount"] *= 1 + wd_w * g_prov + (1 - wd_w) * cpi
                if x["kind"] == "care" and mid["benefits.indexation.care_follows_wage"]:
                    x["monthly_amount"] = max(x["monthly_amount"], care_rate[x["care_level"]] * aw_prev)
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
        accident = a.path("major_accident_cost", ys)[j]
        spending = sum(sum(v.values()) for v in items.values()) + prevention + accident
        other = a.path("other_income", ys)[j]
        # Interest on the mid-year balance, nothing on a negative one.
        mid_balance = balance + 0.5 * (contributions + projects + other - spending)
        interest = a.path("interest_rate", ys)[j] * mid_balance if mid_balance > 0 else 0.0
        before = balance + contributions + projects + other + interest - spending
        # Art. 13: the government advances what would take the balance below zero; an advance is
        # repaid out of later years' surpluses before the balance grows again (or kept as a subsidy).
        advance = repayment = 0.0
        repaid = mid["reserve.advance_repaid"]
        if before < 0:
            advance = -before
            owed = owed + advance if repaid else 0.0
        elif repaid and owed > 0:
            repayment = min(owed, max(contributions + projects + other + interest - spending, 0.0), before)
            owed -= repayment
        expenditure = spending + repayment
        balance = 0.0 if advance > 0 else before - repayment
        # Reserve (72号 §6 on expenditure; Art. 13 share of the balance; or collection): paid out
        # first for a major accident, then topped up by the rule, never above the balance.
        used = min(reserve, accident)
        reserve -= used
        if mid["reserve.base"] == "balance":
            reserve = mid["reserve.ratio"] * max(balance, 0.0)
        else:
            base = contributions + projects if mid["reserve.base"] == "contributions" else spending
            reserve = min(reserve + mid["reserve.ratio"] * base, mid["reserve.cap_ratio"] * base)
        reserve = min(max(reserve, 0.0), max(balance, 0.0))
        months = balance / (spending / 12)
        for k, v in (
            ("contributions", contributions),
            ("project_premiums", projects),
            ("interest", interest),
            ("expenditure", expenditure),
            ("closing", balance),
            ("reserve", reserve),
            ("months_of_payment", months),
            ("phased_cut", cut),
            ("fiscal_advance", advance),
            ("advance_repayment", repayment),
            ("advance_outstanding", owed),
            ("reserve_use", used),
            ("rate_multiplier", multiplier_in_force),
            ("benefit_avg_wage", aw_prev),
        ):
            out[k].append(v)
        tot = {item: sum(items[c][item] for c in cities) for item in items[cities[0]]}
        tot["prevention"] = prevention
        tot["major_accident"] = accident
        tot["advance_repayment"] = repayment
        items_out.append(tot)
        months_prev, contrib_prev, insured_aw_prev = months, contributions + projects, aw
        di_prev *= 1 + a.path("disposable_income_growth", ys)[j]
    fund = pd.DataFrame(out, index=pd.Index(ys, name="year"))
    return {"fund": fund, "items": pd.DataFrame(items_out, index=fund.index)}
