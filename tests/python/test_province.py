"""Province folders: round trip of the demo, and bad input naming file, column, city/class and value."""

import pandas as pd
import pytest

import wifund
from wifund.cli import main


@pytest.fixture()
def folder(tmp_path):
    target = tmp_path / "prov"
    assert main(["init-demo", str(target)]) == 0
    return target


def test_round_trip(folder, demo):
    again = wifund.Province.from_dir(folder)
    pd.testing.assert_frame_equal(again.insured, demo.insured)
    pd.testing.assert_frame_equal(again.cities, demo.cities)
    pd.testing.assert_frame_equal(again.beneficiaries, demo.beneficiaries)
    assert again.fund == demo.fund and again.base_year == 2024 and again.illustrative
    pd.testing.assert_frame_equal(
        wifund.project(again, years=5).fund, wifund.project(demo, years=5).fund, check_exact=True
    )


def test_init_demo_refuses_to_overwrite(folder, capsys):
    assert main(["init-demo", str(folder)]) == 2
    assert "already exists" in capsys.readouterr().err


def edit(folder, name, fn):
    df = pd.read_csv(folder / name, keep_default_na=False, dtype=str)
    changed = fn(df)
    (df if changed is None else changed).to_csv(folder / name, index=False)


@pytest.mark.parametrize(
    "name,change,pattern",
    [
        (
            "insured.csv",
            lambda d: d.__setitem__("insured", d["insured"].where(d.index != 3, "-5")),
            r"insured.csv: column 'insured' for city=Jingcheng, risk_class=4 \(row 5\): value -5 must be >= 0",
        ),
        (
            "insured.csv",
            lambda d: d.__setitem__("insured", d["insured"].where(d.index != 0, "")),
            r"insured.csv: column 'insured' for city=Jingcheng, risk_class=1 \(row 2\): value \(empty\) is missing",
        ),
        (
            "insured.csv",
            lambda d: d.__setitem__("avg_monthly_wage", d["avg_monthly_wage"].where(d.index != 9, "0")),
            r"insured.csv: column 'avg_monthly_wage' for city=Dongyang, risk_class=2 .*value 0 must be > 0",
        ),
        (
            "insured.csv",
            lambda d: d.__setitem__("risk_class", d["risk_class"].where(d.index != 2, "9")),
            r"insured.csv: column 'risk_class' for city=Jingcheng .*unknown risk class '9'",
        ),
        (
            "cities.csv",
            lambda d: d.__setitem__("collection_rate", d["collection_rate"].where(d.index != 2, "1.3")),
            r"cities.csv: column 'collection_rate' for city=Xihe .*value 1.3 must be <= 1",
        ),
        (
            "insured.csv",
            lambda d: d.__setitem__("city", d["city"].where(d.index != 4, "Atlantis")),
            r"insured.csv: column 'city' .*city 'Atlantis' is not in cities.csv",
        ),
        (
            "beneficiaries.csv",
            lambda d: d.__setitem__("award_year", d["award_year"].where(d.index != 0, "2031")),
            r"beneficiaries.csv: column 'award_year' for city=Jingcheng, kind=allowance .*2031 must be <= 2024",
        ),
        (
            "beneficiaries.csv",
            lambda d: d.__setitem__("kind", d["kind"].where(d.index != 0, "pension")),
            r"beneficiaries.csv: column 'kind' .*unknown kind 'pension'",
        ),
        (
            "beneficiaries.csv",
            lambda d: d.__setitem__("sex", d["sex"].where(d.index != 3, "X")),
            r"beneficiaries.csv: column 'sex' for city=Jingcheng \(row 5\): 'X' must be M or F",
        ),
        (
            "beneficiaries.csv",
            lambda d: d.__setitem__("care_level", d["care_level"].where(d["kind"] != "care", "total")),
            r"beneficiaries.csv: column 'care_level' for city=Jingcheng .*'total' must be one of",
        ),
    ],
)
def test_bad_values_are_named(folder, name, change, pattern):
    edit(folder, name, change)
    with pytest.raises(ValueError, match=pattern):
        wifund.Province.from_dir(folder)


def test_city_missing_from_insured(folder):
    edit(folder, "insured.csv", lambda d: d.drop(d.index[d.city == "Taiping"]))
    with pytest.raises(ValueError, match="city 'Taiping' is in cities.csv but has no rows in insured.csv"):
        wifund.Province.from_dir(folder)


def test_missing_file_and_column(folder):
    (folder / "beneficiaries.csv").unlink()
    with pytest.raises(FileNotFoundError, match="beneficiaries.csv"):
        wifund.Province.from_dir(folder)


def test_base_year_out_of_range(folder):
    text = (folder / "province.toml").read_text(encoding="utf-8").replace("base_year = 2024", "base_year = 1024")
    (folder / "province.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="base_year = 1024"):
        wifund.Province.from_dir(folder)


def test_unclassified_needs_a_rate(folder):
    """Class U (unclassified employers) is rated only where the policy defines a rate (Ningxia 0.75%)."""
    df = pd.read_csv(folder / "insured.csv", dtype={"risk_class": str})
    extra = df.iloc[[0]].assign(risk_class="U", insured=1000.0)
    pd.concat([df, extra]).to_csv(folder / "insured.csv", index=False)
    prov = wifund.Province.from_dir(folder)
    with pytest.raises(ValueError, match=r"base rate\[Jingcheng, class U\]"):
        wifund.project(prov, "jilin", years=2)
    ok = wifund.project(prov, "ningxia", years=2)
    row = ok.by_class.query("risk_class == 'U' and year == 2025").iloc[0]
    assert row.rate == pytest.approx(0.0075 * extra.avg_float.iloc[0], rel=1e-14)
