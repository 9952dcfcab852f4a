"""wifund.io: the actuals schema and its round trips through CSV, Excel, Parquet, SQLite and a real
PostgreSQL server (started for the session by conftest_pg.py), the audit and monitor on actuals read
back from PostgreSQL, and schema errors."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pytest

import wifund
from wifund import io as wio
from wifund._io import OutputExistsError
from wifund.budget_audit import audit

from audit_data import clean_submission
from conftest_pg import postgres_url  # noqa: F401 - the session fixture

sa = pytest.importorskip("sqlalchemy")

DTYPES = ["str", "int64", "int64", "str", "float64"]


@pytest.fixture(scope="module")
def actuals() -> pd.DataFrame:
    """Three cities (two with Chinese names), two years, every line, amounts in cents; canonical."""
    s = clean_submission(cities=("长春", "吉林", "220500"), months=24, noise=0.01, seed=3)
    a = s["actuals"].copy()
    a["value"] = a["value"].round(2)
    return wio.check_actuals(a)


def _same(back: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(back, expected, check_exact=True)
    assert [str(t) for t in back.dtypes] == DTYPES
    assert isinstance(back.index, pd.RangeIndex)


# ------------------------------------------------------------------------------------------- schema
def test_check_actuals_canonical(actuals):
    shuffled = actuals.sample(frac=1.0, random_state=0)
    out = wio.check_actuals(shuffled.assign(extra=1))
    _same(out, actuals)
    assert list(out.columns) == list(wio.ACTUALS_COLUMNS)
    assert len(wio.LINES) == 26 and set(wio.TOTAL_LINES) == {"revenue", "expenditure"}


def test_check_actuals_converts_exact_types():
    df = pd.DataFrame(
        {
            "city": [220100, 220200],
            "year": [decimal.Decimal(2024), 2024.0],
            "month": np.array([1, 2], dtype="int32"),
            "line": [" medical ", "interest"],
            "value": [decimal.Decimal("12.50"), 3],
        },
        dtype=object,
    )
    out = wio.check_actuals(df)
    assert out["city"].tolist() == ["220100", "220200"] and out["line"].tolist() == ["medical", "interest"]
    assert out["year"].tolist() == [2024, 2024] and out["value"].tolist() == [12.5, 3.0]
    assert [str(t) for t in out.dtypes] == DTYPES


def test_check_actuals_errors_name_the_row():
    df = pd.DataFrame(
        {
            "city": ["Xihe", "Xihe"],
            "year": [2024, 2024],
            "month": [3, 4],
            "line": ["medical"] * 2,
            "value": ["1.5", "abc"],
        }
    )
    with pytest.raises(
        ValueError,
        match=r"row 1 \(city 'Xihe', year 2024, month 4, line 'medical'\): "
        r"value = 'abc': must be a number",
    ):
        wio.check_actuals(df)
    with pytest.raises(ValueError, match="numeric text is not converted"):
        wio.check_actuals(df.assign(value=["1.5", "2"]))
    with pytest.raises(ValueError, match="did you mean 'medical'"):
        wio.check_actuals(df.assign(line=["medical", "medicl"], value=1.0))
    with pytest.raises(ValueError, match="missing column 'value'.*expected city \\(text\\)"):
        wio.check_actuals(df.drop(columns="value"))


def test_duplicates_error_or_kept():
    df = pd.DataFrame({"city": "A", "year": 2024, "month": [1, 1], "line": "medical", "value": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"appears 2 times \(row 0 and row 1; values 1, 2\)"):
        wio.check_actuals(df)
    assert len(wio.check_actuals(df, duplicates="keep")) == 2


# ------------------------------------------------------------------------------------------- files
@pytest.mark.parametrize("ext", ["csv", "xlsx", "parquet"])
def test_file_round_trip(actuals, tmp_path, ext):
    path = tmp_path / f"actuals.{ext}"
    assert wio.write_actuals(actuals.sample(frac=1.0, random_state=2), path) == path
    _same(wio.read_actuals(path), actuals)
    _same(wio.read_actuals(str(path)), actuals)


@pytest.mark.parametrize("ext", ["xlsx", "parquet"])
def test_file_written_by_wifund_is_replaced_others_refused(actuals, tmp_path, ext):
    path = tmp_path / f"a.{ext}"
    wio.write_actuals(actuals, path)
    wio.write_actuals(actuals.iloc[:10], path)  # ours: replaced
    assert len(wio.read_actuals(path)) == 10
    user = tmp_path / f"user.{ext}"
    user.write_bytes(b"the user's own file")
    with pytest.raises(OutputExistsError, match="if_exists='replace'"):
        wio.write_actuals(actuals, user)
    assert user.read_bytes() == b"the user's own file"
    wio.write_actuals(actuals, user, if_exists="replace")
    _same(wio.read_actuals(user), actuals)


def test_csv_never_replaced_unasked(actuals, tmp_path):
    path = tmp_path / "a.csv"
    wio.write_actuals(actuals, path)
    before = path.read_bytes()
    with pytest.raises(OutputExistsError, match="carries no wifund mark"):
        wio.write_actuals(actuals.iloc[:5], path)
    assert path.read_bytes() == before
    wio.write_actuals(actuals.iloc[:5], path, if_exists="replace")
    assert len(wio.read_actuals(path)) == 5


def test_csv_in_excel_encodings(actuals, tmp_path):
    text = actuals.to_csv(index=False)
    for enc, name in (("gb18030", "gbk.csv"), ("utf-8-sig", "bom.csv")):
        (tmp_path / name).write_bytes(text.encode(enc))
        _same(wio.read_actuals(tmp_path / name), actuals)
    (tmp_path / "tabs.csv").write_bytes(actuals.to_csv(index=False, sep="\t").encode("utf-16"))
    _same(wio.read_actuals(tmp_path / "tabs.csv"), actuals)


def test_excel_sheet_choice(actuals, tmp_path):
    path = tmp_path / "two.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"note": ["cover"]}).to_excel(xw, sheet_name="cover", index=False)
        actuals.to_excel(xw, sheet_name="data", index=False)
    _same(wio.read_actuals(path, sheet="data"), actuals)
    with pytest.raises(ValueError, match="missing columns 'city'"):
        wio.read_actuals(path)
    with pytest.raises(ValueError, match="did you mean 'data'"):
        wio.read_actuals(path, sheet="dat")


def test_excel_keeps_16_significant_digits(tmp_path):
    """openpyxl writes numbers with 16 significant digits (Excel itself shows 15): amounts in cents
    are exact, a full-precision double is not."""
    df = pd.DataFrame(
        {"city": "A", "year": 2024, "month": [1, 2], "line": "medical", "value": [12_345_678_901.23, 0.1 + 0.2]}
    )
    wio.write_actuals(df, tmp_path / "a.xlsx")
    back = wio.read_actuals(tmp_path / "a.xlsx")["value"].tolist()
    assert back[0] == 12_345_678_901.23 and back[1] == 0.3 != 0.1 + 0.2


def test_csv_and_parquet_exact_doubles(tmp_path):
    df = pd.DataFrame(
        {"city": "A", "year": 2024, "month": [1, 2, 3], "line": "medical", "value": [0.1 + 0.2, 1 / 3, 1e-300]}
    )
    for ext in ("csv", "parquet"):
        wio.write_actuals(df, tmp_path / f"a.{ext}")
        assert wio.read_actuals(tmp_path / f"a.{ext}")["value"].tolist() == df["value"].tolist()


# ------------------------------------------------------------------------------------------- SQLite
def test_sqlite_round_trip(actuals, tmp_path):
    url = f"sqlite:///{tmp_path / 'fund.db'}"
    assert wio.write_actuals(actuals, url, "actuals") == url
    _same(wio.read_actuals(url, "actuals"), actuals)
    engine = sa.create_engine(url)
    try:
        _same(wio.read_actuals(engine, table="actuals"), actuals)
        with engine.connect() as c:
            cols = {r[1]: r[2] for r in c.execute(sa.text("PRAGMA table_info(actuals)"))}
        assert cols == {
            "city": "VARCHAR(100)",
            "year": "INTEGER",
            "month": "INTEGER",
            "line": "VARCHAR(40)",
            "value": "DOUBLE",
        }
    finally:
        engine.dispose()


def test_sqlite_if_exists(actuals, tmp_path):
    url = f"sqlite:///{tmp_path / 'fund.db'}"
    first, second = actuals[actuals["year"] == 2023], actuals[actuals["year"] == 2024]
    wio.write_actuals(first, url, "actuals")
    with pytest.raises(OutputExistsError, match="table 'actuals' in sqlite:///.*already exists"):
        wio.write_actuals(second, url, "actuals")
    wio.write_actuals(second, url, "actuals", if_exists="append")
    _same(wio.read_actuals(url, "actuals"), actuals)
    with pytest.raises(ValueError, match="would repeat a \\(city, year, month, line\\).*nothing was written"):
        wio.write_actuals(
            pd.concat([actuals.iloc[:0], second.iloc[:3]]).assign(value=1.0), url, "actuals", if_exists="append"
        )
    _same(wio.read_actuals(url, "actuals"), actuals)
    wio.write_actuals(first, url, "actuals", if_exists="replace")
    _same(wio.read_actuals(url, "actuals"), wio.check_actuals(first))


def test_sqlite_table_of_the_user(tmp_path):
    """A table made by other tools: extra columns, NUMERIC years, REAL amounts, its own row order."""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as c:
        c.execute(
            sa.text(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, city TEXT, year NUMERIC, month INT, line TEXT, "
                "value REAL, loaded TEXT)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO t (city, year, month, line, value, loaded) VALUES "
                "('B', 2024, 2, 'medical', 2.5, 'x'), ('A', 2024, 1, 'interest', 1, 'y')"
            )
        )
    engine.dispose()
    out = wio.read_actuals(url, "t")
    assert out.to_dict("list") == {
        "city": ["A", "B"],
        "year": [2024, 2024],
        "month": [1, 2],
        "line": ["interest", "medical"],
        "value": [1.0, 2.5],
    }


# ------------------------------------------------------------------------------------------- PostgreSQL
def test_postgres_round_trip(actuals, postgres_url):
    wio.write_actuals(actuals, postgres_url, table="actuals", if_exists="replace")
    back = wio.read_actuals(postgres_url, table="actuals")
    _same(back, actuals)
    with pytest.raises(OutputExistsError, match="table 'actuals' in postgresql\\+psycopg://wifund:\\*\\*\\*@"):
        wio.write_actuals(actuals, postgres_url, table="actuals")
    # the audit on what came back equals the audit on the frame
    pd.testing.assert_frame_equal(audit(back), audit(actuals))
    assert audit(back).empty


def test_postgres_audit_of_golden_submission(postgres_url):
    from test_budget_audit import EXPECTED, golden

    s = golden()
    wio.write_actuals(
        s["actuals"].drop_duplicates(["city", "year", "month", "line"]),
        postgres_url,
        table="golden",
        if_exists="replace",
    )
    # a repeated row cannot enter a wifund table (primary key); add it with plain SQL to a copy without one
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as c:
            c.execute(sa.text("DROP TABLE IF EXISTS golden_raw"))
            c.execute(sa.text("CREATE TABLE golden_raw AS SELECT * FROM golden"))
            c.execute(
                sa.text(
                    "INSERT INTO golden_raw SELECT * FROM golden WHERE city = 'B' AND year = 2023 "
                    "AND month = 3 AND line = 'interest'"
                )
            )
    finally:
        engine.dispose()
    with pytest.raises(ValueError, match="appears 2 times"):
        wio.read_actuals(postgres_url, "golden_raw")
    back = wio.read_actuals(postgres_url, "golden_raw", duplicates="keep")
    f = audit({**s, "actuals": back})
    assert {r.rule: (r.city, r.year, r.month, r.line) for r in f.itertuples()} == EXPECTED and len(f) == 7


def test_postgres_numeric_columns_arrive_as_decimal(postgres_url):
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as c:
            c.execute(sa.text("DROP TABLE IF EXISTS legacy"))
            c.execute(
                sa.text(
                    "CREATE TABLE legacy (city TEXT, year NUMERIC(4), month NUMERIC(2), line TEXT, "
                    "value NUMERIC(16, 2))"
                )
            )
            c.execute(
                sa.text(
                    "INSERT INTO legacy VALUES ('长春', 2024, 1, 'medical', 1234567.89), "
                    "('长春', 2024, 2, 'medical', NULL)"
                )
            )
        with pytest.raises(
            ValueError,
            match=r"row 2 of the table \(city '长春', year Decimal\('2024'\), month "
            r"Decimal\('2'\), line 'medical'\): value = None: is missing",
        ):
            wio.read_actuals(postgres_url, "legacy")
        with engine.begin() as c:
            c.execute(sa.text("DELETE FROM legacy WHERE value IS NULL"))
        out = wio.read_actuals(engine, "legacy")
        assert out.to_dict("list") == {
            "city": ["长春"],
            "year": [2024],
            "month": [1],
            "line": ["medical"],
            "value": [1234567.89],
        }
        assert [str(t) for t in out.dtypes] == DTYPES
    finally:
        engine.dispose()


def test_postgres_unreachable_masks_password(postgres_url):
    url = sa.engine.make_url(postgres_url)
    from conftest_pg import _free_port

    dead = url.set(port=_free_port()).render_as_string(hide_password=False)
    with pytest.raises(ConnectionError) as exc:
        wio.read_actuals(dead, "actuals")
    msg = str(exc.value)
    assert "\n" not in msg and url.password not in msg
    assert msg.startswith("cannot connect to postgresql+psycopg://wifund:***@127.0.0.1:") and "refused" in msg


def test_postgres_round_trip_monitor(actuals, postgres_url):
    """Round trip through PostgreSQL, then wifund.budget.monitor on the actuals read back: the execution
    table's cumulative actuals and progress rates recomputed by hand from the frame written."""
    wio.write_actuals(actuals, postgres_url, table="actuals_monitor", if_exists="replace")
    back = wio.read_actuals(postgres_url, table="actuals_monitor")
    _same(back, actuals)
    lines = back[~back["line"].isin(list(wio.TOTAL_LINES))]
    year = int(lines["year"].max())
    this = lines[lines["year"] == year]
    annual = this.groupby(["city", "line"], as_index=False)["value"].sum()
    annual["value"] *= 1.1  # a budget 10 % above the outturn
    annual["year"] = year
    budget = wifund.budget.Budget.from_frame(annual[["city", "year", "line", "value"]])
    as_of = 6
    table = wifund.budget.monitor(budget, lines, as_of=as_of)
    ytd = this[this["month"] <= as_of]
    for city in sorted(set(this["city"])):
        got = table.loc[(city, "contributions")]
        want = ytd[(ytd["city"] == city) & (ytd["line"] == "contributions")]["value"].sum()
        assert got["cumulative_actual"] == pytest.approx(want, rel=1e-12)
        bud = annual[(annual["city"] == city) & (annual["line"] == "contributions")]["value"].sum()
        assert got["progress"] == pytest.approx(want / bud, rel=1e-12)
    prov = table.loc[(wifund.budget.PROVINCE, "contributions"), "cumulative_actual"]
    assert prov == pytest.approx(ytd[ytd["line"] == "contributions"]["value"].sum(), rel=1e-12)


def test_package_exports():
    assert wifund.io.read_actuals is wio.read_actuals and wifund.budget_audit.audit is audit
