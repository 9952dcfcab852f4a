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

# --- Rules of the long-term benefits, written from the texts ------------------------------------------------
# 国发〔2024〕18号: from January 2025 the statutory age rises by one month for every 4 months of birth (men 60,
# female cadres 55; at most 3 years) or every 2 months (female workers 50; at most 5 years); whoever reached
# the old age before 2025 keeps it.
_OLD_AGE = {"male": 60, "female_cadre": 55, "female_worker": 50}


def _retire_month(birth_year: int, birth_month: int, group: str) -> int:
    """Month number (12 * year + month - 1) in which the statutory age is reached."""
    old = _OLD_AGE[group]
    step, most = (2, 60) if group == "female_worker" else (4, 36)
    at_old_age = (birth_year + old) * 12 + birth_month - 1  # month the old age is reached
    months_into_reform = at_old_age - 2025 * 12 + 1  # 1 = January 2025
    delay = 0 if months_into_reform <= 0 else min(-(-months_into_reform // step), most)
    return at_old_age + delay


def _min_years(year: int) -> float:
    """Minimum contribution years for a pension: 15, then +6 months a year from 2030 up to 20."""
    return 15.0 if year < 2030 else min(20.0, 15.0 + 0.5 * (year - 2029))


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
    if x["kind"] in ("allowance", "legacy_subsidy"):
        return (x["kind"], x["grade"])
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
    # the legacy monthly disability subsidy is a disability benefit: the allowance's rate
    family = {"legacy_subsidy": "allowance", "care": "care", "allowance": "allowance"}.get(x["kind"], "dependants")
    return rates[family] * averages.get(_round_group(x), 0.0)


def _flat_round(x, ev):
    """One flat increment round for one cohort (already known to be eligible)."""
    if x["kind"] == "allowance":
        x["monthly_amount"] += ev["allowance"][x["grade"] - 1]
        if x["monthly_amount"] < ev["floor"]:  # "调整后…不足 F 元的, 再增加 Y 元"
            x["monthly_amount"] += ev["floor_topup"]
    elif x["kind"] == "care":
        x["monthly_amount"] += ev["care"][_CARE_ORDER.index(x["care_level"])]
    elif x["kind"] == "legacy_subsidy":  # 吉人社发〔2022〕24号: 按月领取伤残补助金 + by grade 1..10
        x["monthly_amount"] += ev["legacy_subsidy"][x["grade"] - 1]
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
        if c["kind"] in ("allowance", "care", "legacy_subsidy"):  # grades 5..10: grade 4's load
            return q(dis_m if c["sex"] == "M" else dis_f, c["age"], loads[min(max(c["grade"], 1), 4) - 1])
        return q(dep_m if c["sex"] == "M" else dep_f, c["age"], claim("dependant_mortality_load"))

    def qualify(year):  # share with the minimum contribution years, linear between 15 and 20 years
        lo, hi = claim("pension_qualify_share")
        w = (_min_years(year) - 15.0) / 5.0
        return (1 - w) * lo + w * hi

    def groups_of(c):  # allowance recipients by retirement group; women split cadre / worker
        if c["sex"] == "M":
            return [dict(c, group="male")]
        cadre = claim("female_cadre_share")
        return [
            dict(c, group="female_cadre", count=c["count"] * cadre),
            dict(c, group="female_worker", count=c["count"] * (1 - cadre)),
        ]

    cohorts = []
    for r in province.beneficiaries.to_dict("records"):
        c = dict(r)
        c["grade"], c["age"], c["award_year"] = int(c["grade"]), int(c["age"]), int(c["award_year"])
        c["retired"], c["lone"] = bool(c["retired"]), bool(c["lone"])
        by = c.get("birth_year", province.base_year - c["age"])
        bm = c.get("birth_month", 7)
        c["birth_year"] = province.base_year - c["age"] if by is None or by != by else int(by)
        c["birth_month"] = 7 if bm is None or bm != bm else int(bm)
        c["pay_from"], c["share"], c["ret_month"] = 0, 1.0, 0
        # A deferred dependant of a past death (部令第18号 Art. 3: paid from 60 / 55): "YYYY-MM".
        pf = r.get("pay_from")
        if isinstance(pf, str) and pf.strip():
            yy, mm = pf.strip().split("-")
            c["pay_from"] = 12 * int(yy) + int(mm) - 1
        for k in ("own_wage", "cap_wage"):  # Art. 39 ¶3 wages where the stock gives them
            v = c.get(k)
            c[k] = None if v is None or v != v else float(v)
        if c["count"] <= 0:
            continue
        if c["kind"] != "allowance":
            cohorts.append(c)
            continue
        for x in groups_of(c):
            if x["count"] <= 0:
                continue
            if not x["retired"]:
                x["share"] = qualify(_retire_month(x["birth_year"], x["birth_month"], x["group"]) // 12)
            cohorts.append(x)
    ages, age_w = claim("entry_ages"), claim("entry_age_weights")
    mean_entry = sum(x * w for x, w in zip(ages, age_w))

    def dependants(city, y, deaths, age, sex, own, cap_wage, mid):
        """供养亲属抚恤金 of `deaths` deaths (Art. 39; 部令第18号 Arts. 3-4), one family per composition."""
        dep = mid["benefits.dependants.rate"]
        cap = mid["benefits.dependants.cap_own_wage_multiple"]
        out = []
        if deaths <= 0:
            return out
        shift = math.floor(age - mean_entry + 0.5)
        ages_of = {
            "spouse": max(age + claim("spouse_age_offset"), 16),
            "child": max(claim("child_age") + shift, 0),
            "parent": min(max(claim("parent_age") + shift, 14), 110),
        }
        spouse_sex = "F" if sex == "M" else "M"

        def member(kind, s, n, amount, lone):
            a0 = ages_of[kind]
            row = dict(
                city=city,
                kind=kind,
                grade=0,
                care_level="",
                sex=s,
                age=a0,
                monthly_amount=amount,
                pension=0.0,
                award_year=y,
                retired=False,
                lone=lone,
                birth_year=y - 1 - a0,
                birth_month=7,
                share=1.0,
                ret_month=0,
                pay_from=0,
            )
            if kind == "child" and a0 >= 18:
                return
            qualifying_age = 60 if s == "M" else 55  # 部令第18号 Art. 3(2)
            if kind == "child" or a0 >= qualifying_age:
                out.append(dict(row, count=n))
                return
            unable = claim("dependant_incapacity_share")  # Art. 3(1): wholly unable to work
            out.append(dict(row, count=n * unable))
            out.append(dict(row, count=n * (1 - unable), pay_from=(y - 1 - a0 + qualifying_age) * 12 + 6))

        for (n_sp, n_ch, n_pa), wf in zip(claim("family_compositions"), claim("family_weights")):
            for lone in (False, True):
                others = n_ch + n_pa
                share = (claim("lone_share") if lone else 1 - claim("lone_share")) if others else float(not lone)
                n = deaths * wf * share
                if n <= 0:
                    continue
                other_rate = dep["other"] + (dep["lone_extra"] if lone else 0.0)
                total = (n_sp * dep["spouse"] + others * other_rate) * own
                scale = cap * cap_wage / total if total > cap * cap_wage and total > 0 else 1.0  # Art. 39 cap
                if n_sp:
                    member("spouse", spouse_sex, n * n_sp, scale * dep["spouse"] * own, False)
                for s in (sex, spouse_sex):
                    if n_ch:
                        member("child", s, 0.5 * n * n_ch, scale * other_rate * own, lone)
                    if n_pa:
                        member("parent", s, 0.5 * n * n_pa, scale * other_rate * own, lone)
        return out

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
        clamp = mid["contribution.base_clamp"]
        months_ls = mid["benefits.disability.lump_sum_months"]
        allow_rate = mid["benefits.disability.allowance_rate"]
        new = []
        for ci, c in enumerate(cities):
            cc = 0.0
            injuries = injured_wage = actual_wage = 0.0
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
                # Art. 64: average of the 12 months before a mid-year injury = wage at 1 January, the
                # geometric mean of last year's and this year's level.
                w12 = math.sqrt(w * w / (1 + econ["wage_growth"][ci, j]))
                injured_wage += i_ck * min(max(w12, clamp[0] * aw_prev), clamp[1] * aw_prev)
                actual_wage += i_ck * w12
            proj_value[c] *= 1 + a.path("project_growth", ys)[j]
            pp = proj_value[c] * jan["contribution.project_rate"] * (1 - cut)
            contributions += cc
            projects += pp
            ow = injured_wage / injuries if injuries else 0.0
            cap_w = actual_wage / injuries if injuries else 0.0
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
                        base = dict(
                            city=c,
                            grade=g + 1,
                            sex=sex,
                            age=age,
                            award_year=y,
                            lone=False,
                            birth_year=y - 1 - age,
                            birth_month=7,
                            pension=0.0,
                            retired=False,
                            pay_from=0,
                            share=1.0,
                            ret_month=0,
                        )
                        if nn > 0:
                            for x in groups_of(
                                dict(base, kind="allowance", care_level="", count=nn, monthly_amount=allow_rate[g] * ow)
                            ):
                                rm = _retire_month(x["birth_year"], x["birth_month"], x["group"])
                                x["share"] = qualify(rm // 12)
                                if rm < 12 * (y + 1):  # at the age already: retired from the award
                                    x.update(
                                        retired=True,
                                        ret_month=rm,
                                        pension=claim("retirement_pension_ratio") * x["monthly_amount"],
                                    )
                                new.append(x)
                        for li, lvl in enumerate(("full", "major", "partial")):
                            new.append(
                                dict(
                                    base,
                                    kind="care",
                                    care_level=lvl,
                                    count=nn * claim("care_share")[g][li],
                                    monthly_amount=care_rate[lvl] * aw_prev,
                                )
                            )
                    new.extend(dependants(c, y, deaths * w, age, sex, ow, cap_w, mid))
            for item in ("disability_allowance", "allowance_topup", "care_allowance", "dependant_pension"):
                items[c][item] = 0.0
        cohorts.extend(x for x in new if x["count"] > 0)
        # Long-term cohorts.
        wa_w = mid["benefits.indexation.allowance_wage_weight"]
        wd_w = mid["benefits.indexation.dependant_wage_weight"]
        pct = mid["benefits.indexation.mode"] == "percentage"
        cpi = a.path("cpi", ys)[j]
        by_grade = mid["benefits.indexation.mode"] == "flat_by_grade"
        averages = _last_year_averages(cohorts, y) if by_grade else {}
        rounds = policy.increments(dt.date(y, 1, 1), dt.date(y, 12, 31))
        rates = mid["benefits.disability.allowance_rate"]
        dead = {}  # Art. 39 ¶3: (city, sex) -> [deaths, deaths x age, deaths x wage]

        def pay(x, award, y=y, j=j, items=items, dead=dead, rates=rates):
            qq = q_of(x)
            h = claim("spouse_exit_hazard") if x["kind"] == "spouse" else 0.0
            out = qq + h - qq * h if h > 0 else qq
            exposure = 0.5 if award else 1.0
            alive = x["count"] * (1 - 0.5 * exposure * out)
            start, end = 12 * y + (6 if award else 0), 12 * y + 12
            start = min(max(x["pay_from"], start), end)
            ci = cities.index(x["city"])
            if x["kind"] == "allowance":
                allowance = max(x["monthly_amount"], min_wage[ci, j])
                switch = min(max(x["ret_month"], start), end) if x["retired"] else end
                after = end - switch
                items[x["city"]]["disability_allowance"] += (
                    alive * allowance * (switch - start + (1 - x["share"]) * after)
                )
                topup = max(0.0, allowance - x["pension"])
                items[x["city"]]["allowance_topup"] += alive * x["share"] * after * topup
                if qq > 0:
                    d = dead.setdefault((x["city"], x["sex"]), [0.0, 0.0, 0.0, 0.0])
                    n_dead = x["count"] * exposure * qq
                    # 本人工资: as the stock gives it, else what the allowance (Art. 35 rate) implies
                    own = x.get("own_wage") or x["monthly_amount"] / rates[x["grade"] - 1]
                    d[0] += n_dead
                    d[1] += n_dead * x["age"]
                    d[2] += n_dead * own
                    d[3] += n_dead * (x.get("cap_wage") or own)
            elif x["kind"] == "legacy_subsidy":  # a monthly disability benefit, no minimum-wage floor
                items[x["city"]]["disability_allowance"] += alive * (end - start) * x["monthly_amount"]
            else:
                item = "care_allowance" if x["kind"] == "care" else "dependant_pension"
                items[x["city"]][item] += alive * (end - start) * x["monthly_amount"]
            x["count"] *= 1 - exposure * out
            x["age"] += 1

        for x in cohorts:
            award = x["award_year"] == y
            if not award:
                left_out = mid["benefits.indexation.exclude_retired"] and x["retired"]
                if pct and x["kind"] == "allowance":
                    f = 1 + wa_w * g_prov + (1 - wa_w) * cpi
                    if not left_out:
                        x["monthly_amount"] *= f
                    x["pension"] *= f
                elif pct and x["kind"] == "legacy_subsidy":  # like the allowance (wage-weighted)
                    x["monthly_amount"] *= 1 + wa_w * g_prov + (1 - wa_w) * cpi
                elif pct and x["kind"] in ("spouse", "child", "parent"):
                    x["monthly_amount"] *= 1 + wd_w * g_prov + (1 - wd_w) * cpi
                if by_grade and not left_out:
                    x["monthly_amount"] += _by_grade_increase(x, mid, averages)
                if x["kind"] == "care" and mid["benefits.indexation.care_follows_wage"]:
                    x["monthly_amount"] = max(x["monthly_amount"], care_rate[x["care_level"]] * aw_prev)
                for ev in rounds:
                    if _awarded_by(x, ev["cutoff"]) and not (ev["exclude_retired"] and x["retired"]):
                        _flat_round(x, ev)
                if x["kind"] == "allowance" and not x["retired"]:
                    rm = _retire_month(x["birth_year"], x["birth_month"], x["group"])
                    if rm < 12 * (y + 1):
                        x.update(
                            retired=True, ret_month=rm, pension=claim("retirement_pension_ratio") * x["monthly_amount"]
                        )
                if x["kind"] == "child" and x["age"] >= 18:
                    x["count"] = 0.0
            if x["count"] <= 0:
                continue
            pay(x, award)
        # Art. 39 ¶3: a grade 1-4 recipient's death brings the funeral grant and the dependants' pensions.
        later = []
        for (city, sex), (n_dead, age_sum, wage_sum, cap_sum) in dead.items():
            items[city]["funeral_grant"] += n_dead * mid["benefits.death.funeral_months"] * aw_prev
            later.extend(
                dependants(
                    city, y, n_dead, math.floor(age_sum / n_dead + 0.5), sex, wage_sum / n_dead, cap_sum / n_dead, mid
                )
            )
        for x in later:
            if x["count"] > 0:
                pay(x, True)
                cohorts.append(x)
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
