"""Bad-input suite, data sources and audit (issue #10 items 6, 7): actuals files (CSV, Excel, Parquet)
and SQL tables with the wrong schema, missing or repeated months, non-numeric amounts, unknown lines,
unreachable databases, refused writes, and bad audit options and side tables. Each case runs in a forked
child (tests/python/badinput.py) and asserts the exception type and that the message names the field,
the value and where it is (file line, sheet row, table row with its city, year, month and line)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wifund import io as wio
from wifund._checks import InputTypeError
from wifund._io import OutputExistsError
from wifund.budget_audit import audit

import badinput
from badinput import Case

HEADER = "city,year,month,line,value\n"
GOOD = HEADER + "Xihe,2024,1,medical,100.5\nXihe,2024,2,medical,101.25\n"


def _frame(**cols) -> pd.DataFrame:
    base = {
        "city": ["Xihe", "Xihe"],
        "year": [2024, 2024],
        "month": [1, 2],
        "line": ["medical", "medical"],
        "value": [100.5, 101.25],
    }
    base.update(cols)
    return pd.DataFrame(base)


def in_dir(fn):
    """Runs ``fn(folder)`` in a fresh temporary folder (inside the child)."""

    def run():
        d = Path(tempfile.mkdtemp(prefix="wifund_bad_io_"))
        try:
            return fn(d)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    return run


def raw_bytes(data: bytes, name: str, **kw):
    def fn(d):
        (d / name).write_bytes(data)
        return wio.read_actuals(d / name, **kw)

    return in_dir(fn)


def csv_text(body: str, name: str = "actuals.csv", encoding: str = "utf-8"):
    return raw_bytes(body.encode(encoding), name)


def excel(frame: pd.DataFrame, **kw):
    def fn(d):
        frame.to_excel(d / "a.xlsx", index=False, sheet_name="data")
        return wio.read_actuals(d / "a.xlsx", **kw)

    return in_dir(fn)


def parquet(frame: pd.DataFrame):
    def fn(d):
        frame.to_parquet(d / "a.parquet", index=False)
        return wio.read_actuals(d / "a.parquet")

    return in_dir(fn)


def sqlite(sql: str, table: str = "t", **kw):
    def fn(d):
        import sqlalchemy as sa

        url = f"sqlite:///{d / 'x.db'}"
        engine = sa.create_engine(url)
        with engine.begin() as c:
            for stmt in sql.split(";"):
                if stmt.strip():
                    c.execute(sa.text(stmt))
        engine.dispose()
        return wio.read_actuals(url, table, **kw)

    return in_dir(fn)


TABLE = "CREATE TABLE t (city TEXT, year INTEGER, month INTEGER, line TEXT, value REAL);"


def write_twice(name: str, table: str | None = None, **kw):
    def fn(d):
        target = f"sqlite:///{d / name}" if table else d / name
        wio.write_actuals(_frame(), target, table)
        return wio.write_actuals(_frame(), target, table, **kw)

    return in_dir(fn)


def user_file_then_write(name: str):
    def fn(d):
        (d / name).write_text("my own notes\n")
        try:
            return wio.write_actuals(_frame(), d / name)
        finally:
            assert (d / name).read_text() == "my own notes\n"  # untouched

    return in_dir(fn)


def _clean() -> dict:
    from audit_data import clean_submission

    return clean_submission(lines=["contributions", "medical"], totals=False, cities=("A",), months=3)


def audit_with(**kw):
    return lambda: audit(_clean(), **kw)


def audit_side(name: str, edit):
    def fn():
        s = _clean()
        s[name] = edit(s[name].copy())
        return audit(s)

    return fn


def _set_first(col: str, value):
    def edit(df):
        df[col] = df[col].astype(object)
        df.loc[df.index[0], col] = value
        return df

    return edit


CASES: list[Case] = [
    # ---- CSV: schema and rows (messages name the file line and the row's city, year, month, line)
    Case(
        "csv-missing-value-column",
        csv_text("city,year,month,line,amount\nXihe,2024,1,medical,1\n"),
        ValueError,
        (
            "actuals.csv",
            "missing column 'value'",
            "found ['city', 'year', 'month', 'line', 'amount']",
            "expected city (text), year (integer)",
        ),
    ),
    Case(
        "csv-missing-two-columns",
        csv_text("city,yr,line,value\nXihe,2024,medical,1\n"),
        ValueError,
        ("missing columns 'year', 'month'", "did you mean 'yr'?"),
    ),
    Case(
        "csv-non-numeric-amount",
        csv_text(GOOD + "Xihe,2024,3,medical,abc\n"),
        InputTypeError,
        (
            "actuals.csv, file line 4",
            "city 'Xihe'",
            "year 2024",
            "month 3",
            "line 'medical'",
            "value = 'abc'",
            "must be a number",
        ),
    ),
    Case(
        "csv-thousands-separator",
        csv_text(HEADER + 'Xihe,2024,1,medical,"1,234.50"\n'),
        InputTypeError,
        ("file line 2", "value = '1,234.50'", "not text"),
    ),
    Case(
        "csv-empty-amount",
        csv_text(GOOD + "Xihe,2024,3,medical,\n"),
        ValueError,
        ("file line 4", "month 3", "value = nan", "is missing"),
    ),
    Case(
        "csv-nan-amount",
        csv_text(GOOD + "Xihe,2024,3,medical,NaN\n"),
        InputTypeError,
        ("file line 4", "value = 'NaN'", "must be a number (yuan), not text"),
    ),
    Case(
        "csv-na-amount",
        csv_text(GOOD + "Xihe,2024,3,medical,n/a\n"),
        InputTypeError,
        ("file line 4", "value = 'n/a'", "not text"),
    ),
    Case(
        "csv-inf-amount",
        csv_text(GOOD + "Xihe,2024,3,medical,1e999\n"),
        ValueError,
        ("file line 4", "value = inf", "must be finite"),
    ),
    Case(
        "csv-month-13",
        csv_text(GOOD + "Xihe,2024,13,medical,1\n"),
        ValueError,
        ("file line 4", "month = 13", "from 1 to 12"),
    ),
    Case(
        "csv-month-missing",
        csv_text(GOOD + "Xihe,2024,,medical,1\n"),
        ValueError,
        ("file line 4", "month = nan", "is missing"),
    ),
    Case(
        "csv-month-name",
        csv_text(GOOD + "Xihe,2024,March,medical,1\n"),
        InputTypeError,
        ("file line 4", "month = 'March'", "must be an integer"),
    ),
    Case(
        "csv-fractional-year",
        csv_text(GOOD + "Xihe,2024.5,3,medical,1\n"),
        ValueError,
        ("file line 4", "year = 2024.5", "must be an integer"),
    ),
    Case(
        "csv-two-digit-year",
        csv_text(GOOD + "Xihe,24,3,medical,1\n"),
        ValueError,
        ("file line 4", "year = 24", "from 1900 to 2200"),
    ),
    Case(
        "csv-unknown-line",
        csv_text(GOOD + "Xihe,2024,3,medcal,1\n"),
        ValueError,
        ("file line 4", "line = 'medcal'", "unknown line", "did you mean 'medical'?"),
    ),
    Case(
        "csv-line-chinese-label",
        csv_text(GOOD + "Xihe,2024,3,医疗费,1\n"),
        ValueError,
        ("file line 4", "line = '医疗费'", "unknown line", "known: revenue"),
    ),
    Case(
        "csv-missing-city",
        csv_text(GOOD + ",2024,3,medical,1\n"),
        ValueError,
        ("file line 4", "city = nan", "is missing"),
    ),
    Case(
        "csv-duplicated-month",
        csv_text(GOOD + "Xihe,2024,1,medical,99\n"),
        ValueError,
        (
            "city 'Xihe', 2024-01, line 'medical' appears 2 times",
            "file line 2 and file line 4",
            "100.5, 99",
            "must appear once",
        ),
    ),
    Case("csv-empty-file", csv_text(""), ValueError, ("actuals.csv", "the file is empty", "'city', 'year'")),
    Case("csv-header-only", csv_text(HEADER), ValueError, ("actuals.csv", "no rows")),
    Case(
        "csv-ragged-row",
        csv_text(GOOD + "Xihe,2024,3,medical,1,extra\n"),
        ValueError,
        ("line 4 has 6 fields", "header (line 1) has 5"),
    ),
    Case(
        "csv-undecodable-bytes",
        raw_bytes(HEADER.encode() + b"\xff\xfe\xfa,2024,1,medical,1\n" * 3, "a.csv"),
        ValueError,
        ("a.csv", "line 2"),
    ),
    # ---- paths and file types
    Case(
        "unknown-extension",
        raw_bytes(GOOD.encode(), "actuals.txt"),
        ValueError,
        ("actuals.txt", "unknown file type '.txt'", ".csv", ".parquet", "database URL"),
    ),
    Case("old-xls", raw_bytes(b"\xd0\xcf\x11\xe0", "actuals.xls"), ValueError, ("'.xls'", "save it as .xlsx")),
    Case(
        "missing-file",
        lambda: wio.read_actuals("/nonexistent/actuals.csv"),
        FileNotFoundError,
        ("/nonexistent/actuals.csv", "no such file"),
    ),
    Case(
        "folder-not-file",
        in_dir(lambda d: (d / "x.csv").mkdir() or wio.read_actuals(d / "x.csv")),
        IsADirectoryError,
        ("x.csv", "is a folder"),
    ),
    Case(
        "source-wrong-type",
        lambda: wio.read_actuals(42),
        InputTypeError,
        ("source = 42", "file path, a database URL or an SQLAlchemy Engine"),
    ),
    Case(
        "table-for-a-file",
        lambda: wio.read_actuals("a.csv", table="t"),
        ValueError,
        ("table = 't'", "tables are for database URLs"),
    ),
    Case(
        "sheet-for-csv",
        in_dir(lambda d: (d / "a.csv").write_text(GOOD) and wio.read_actuals(d / "a.csv", sheet="x")),
        ValueError,
        ("sheet = 'x'", "only Excel files have sheets"),
    ),
    Case(
        "duplicates-option",
        lambda: wio.read_actuals("a.csv", duplicates="drop"),
        ValueError,
        ("duplicates = 'drop'", "must be one of ['error', 'keep']"),
    ),
    # ---- Excel
    Case("xlsx-not-a-workbook", raw_bytes(GOOD.encode(), "a.xlsx"), ValueError, ("a.xlsx", "not an Excel workbook")),
    Case(
        "xlsx-unknown-sheet",
        excel(_frame(), sheet="dta"),
        ValueError,
        ("sheet = 'dta'", "no such sheet", "did you mean 'data'?", "(sheets: ['data'])"),
    ),
    Case(
        "xlsx-boolean-amount",
        excel(_frame(value=[True, False])),
        InputTypeError,
        ("sheet 'data'", "row 2", "value = True", "not a boolean"),
    ),
    Case(
        "xlsx-text-amount",
        excel(_frame(value=[1.0, "n/a"])),
        InputTypeError,
        ("sheet 'data', row 3", "month 2", "value = 'n/a'", "not text"),
    ),
    Case(
        "xlsx-missing-column",
        excel(_frame().drop(columns="line")),
        ValueError,
        ("missing column 'line'", "expected city (text)"),
    ),
    # ---- Parquet
    Case(
        "parquet-garbage",
        raw_bytes(b"PAR1 this is not parquet", "a.parquet"),
        ValueError,
        ("a.parquet", "not a readable Parquet file"),
    ),
    Case(
        "parquet-text-amounts",
        parquet(_frame(value=["1.5", "x"])),
        InputTypeError,
        ("a.parquet, row 2", "value = 'x'", "not text"),
    ),
    Case(
        "parquet-float-months",
        parquet(_frame(month=[1.0, 2.5])),
        ValueError,
        ("row 2", "month = 2.5", "must be an integer"),
    ),
    Case("parquet-missing-column", parquet(_frame().drop(columns="city")), ValueError, ("missing column 'city'",)),
    # ---- SQL
    Case(
        "sql-no-table",
        sqlite(TABLE, table="actuals"),
        ValueError,
        ("sqlite:///", "no table 'actuals'", "(tables: ['t'])"),
    ),
    Case("sql-table-typo", sqlite(TABLE, table="tt"), ValueError, ("no table 'tt'", "did you mean 't'?")),
    Case(
        "sql-missing-column",
        sqlite("CREATE TABLE t (city TEXT, year INT, month INT, line TEXT, amount REAL)"),
        ValueError,
        ("table 't' in sqlite:///", "missing column 'value'", "found ['city'", "expected city (text)"),
    ),
    Case(
        "sql-null-amount",
        sqlite(TABLE + "INSERT INTO t VALUES ('Xihe', 2024, 1, 'medical', NULL)"),
        ValueError,
        ("table 't'", "row 1 of the table", "city 'Xihe'", "month 1", "value = None", "is missing"),
    ),
    Case(
        "sql-text-amount",
        sqlite(TABLE + "INSERT INTO t VALUES ('Xihe', 2024, 1, 'medical', 'lots')"),
        InputTypeError,
        ("row 1 of the table", "value = 'lots'", "not text"),
    ),
    Case(
        "sql-text-month",
        sqlite(TABLE + "INSERT INTO t VALUES ('Xihe', 2024, '一月', 'medical', 1)"),
        InputTypeError,
        ("month = '一月'", "must be an integer"),
    ),
    Case(
        "sql-duplicated-month",
        sqlite(TABLE + "INSERT INTO t VALUES ('Xihe', 2024, 1, 'medical', 1), ('Xihe', 2024, 1, 'medical', 2)"),
        ValueError,
        ("appears 2 times", "row 1 of the table and row 2 of the table"),
    ),
    Case("sql-empty-table", sqlite(TABLE), ValueError, ("table 't'", "no rows")),
    Case(
        "sql-missing-db-file",
        lambda: wio.read_actuals("sqlite:////nonexistent/fund.db", "t"),
        FileNotFoundError,
        ("sqlite:////nonexistent/fund.db", "no such database file"),
    ),
    Case(
        "sql-table-required",
        lambda: wio.read_actuals("sqlite:///:memory:"),
        ValueError,
        ("table= is required", "e.g. table='actuals'"),
    ),
    Case(
        "sql-not-a-url",
        lambda: wio.read_actuals("postgres ql://x", "t"),
        ValueError,
        ("'postgres ql://x'", "not a database URL"),
    ),
    Case(
        "sql-unknown-dialect",
        lambda: wio.read_actuals("postgre://u:pw@localhost/db", "t"),
        ValueError,
        ("postgre://u:***@localhost/db", "unknown database dialect", "did you mean 'postgresql'?"),
    ),
    Case(
        "sql-unreachable-password-masked",
        lambda: wio.read_actuals("postgresql://fund:s3cret@127.0.0.1:9/db", "t"),
        ConnectionError,
        ("cannot connect to postgresql+psycopg://fund:***@127.0.0.1:9/db", "refused"),
    ),
    # ---- writing
    Case(
        "write-if-exists-typo",
        lambda: wio.write_actuals(_frame(), "a.csv", if_exists="overwrite"),
        ValueError,
        ("if_exists = 'overwrite'", "must be one of ['fail', 'replace', 'append']"),
    ),
    Case(
        "write-table-exists",
        write_twice("x.db", "actuals"),
        OutputExistsError,
        ("table 'actuals' in sqlite:///", "already exists", "if_exists='replace'"),
    ),
    Case(
        "write-append-repeats-rows",
        write_twice("x.db", "actuals", if_exists="append"),
        ValueError,
        ("would repeat a (city, year, month, line)", "nothing was written"),
    ),
    Case("write-csv-exists", write_twice("a.csv"), OutputExistsError, ("a.csv exists", "if_exists='replace'")),
    Case(
        "write-user-xlsx",
        user_file_then_write("a.xlsx"),
        OutputExistsError,
        ("a.xlsx exists", "not an Excel actuals file written by wifund"),
    ),
    Case(
        "write-append-to-file",
        lambda: wio.write_actuals(_frame(), "a.parquet", if_exists="append"),
        ValueError,
        ("if_exists = 'append'", "database tables only"),
    ),
    Case(
        "write-unknown-extension",
        lambda: wio.write_actuals(_frame(), "a.json"),
        ValueError,
        ("unknown file type '.json'",),
    ),
    Case(
        "write-bad-frame",
        lambda: wio.write_actuals(_frame(value=[1.0, np.nan]), "a.csv"),
        ValueError,
        ("actuals to write", "row 1", "month 2", "value = nan", "is missing"),
    ),
    Case(
        "write-not-a-frame",
        lambda: wio.write_actuals([1, 2], "a.csv"),
        InputTypeError,
        ("actuals to write = [1, 2]", "must be a pandas DataFrame"),
    ),
    # ---- check_actuals on frames
    Case(
        "frame-bool-year",
        lambda: wio.check_actuals(_frame(year=[True, True])),
        InputTypeError,
        ("year = True", "not a boolean"),
    ),
    Case(
        "frame-object-city",
        lambda: wio.check_actuals(_frame(city=["Xihe", 3.5])),
        InputTypeError,
        ("row 1", "city = 3.5", "must be text"),
    ),
    Case(
        "frame-blank-city",
        lambda: wio.check_actuals(_frame(city=["Xihe", "  "])),
        ValueError,
        ("row 1", "city = '  '", "is empty"),
    ),
    Case("frame-empty", lambda: wio.check_actuals(_frame().iloc[:0]), ValueError, ("actuals: no rows",)),
    Case(
        "frame-repeated-column",
        lambda: wio.check_actuals(pd.concat([_frame(), _frame()[["value"]]], axis=1)),
        ValueError,
        ("column 'value' appears more than once",),
    ),
    # ---- audit options and side tables
    Case("audit-negative-tolerance", audit_with(tolerance=-0.1), ValueError, ("tolerance = -0.1", "must be >= 0")),
    Case("audit-zero-threshold", audit_with(jump_threshold=0), ValueError, ("jump_threshold = 0", "must be > 0")),
    Case(
        "audit-nan-threshold", audit_with(jump_threshold=float("nan")), ValueError, ("jump_threshold = nan", "finite")
    ),
    Case(
        "audit-min-history-float",
        audit_with(min_history=12.5),
        InputTypeError,
        ("min_history = 12.5", "must be an integer"),
    ),
    Case(
        "audit-allow-negative-typo",
        audit_with(allow_negative=["other_expenses"]),
        ValueError,
        ("allow_negative", "unknown line 'other_expenses'", "did you mean 'other_expenditure'?"),
    ),
    Case(
        "audit-required-lines-string",
        audit_with(required_lines="medical"),
        InputTypeError,
        ("required_lines = 'medical'", "must be a list of line names"),
    ),
    Case(
        "audit-submission-wrong-type",
        lambda: audit([1, 2]),
        InputTypeError,
        ("submission = [1, 2]", "must be an actuals DataFrame, a Submission or a dict"),
    ),
    Case(
        "audit-submission-unknown-table",
        lambda: audit({**_clean(), "headcounts": None}),
        ValueError,
        ("unknown table 'headcounts'", "did you mean 'headcount'?"),
    ),
    Case(
        "audit-no-actuals",
        lambda: audit({"headcount": _clean()["headcount"]}),
        ValueError,
        ("'actuals' table is required",),
    ),
    Case(
        "audit-headcount-without-rates",
        lambda: audit({**_clean(), "rates": None}),
        ValueError,
        ("headcount, wages given without rates", "together"),
    ),
    Case(
        "audit-negative-headcount",
        audit_side("headcount", _set_first("headcount", -5.0)),
        ValueError,
        ("submission: headcount, row 0", "city 'A'", "month 1", "headcount = -5.0", "must be >= 0"),
    ),
    Case(
        "audit-nan-wage",
        audit_side("wages", _set_first("wage", np.nan)),
        ValueError,
        ("submission: wages, row 0", "wage = nan", "is missing"),
    ),
    Case(
        "audit-rate-above-one",
        audit_side("rates", _set_first("rate", 1.5)),
        ValueError,
        ("submission: rates, row 0", "rate = 1.5", "must lie in [0, 1]"),
    ),
    Case(
        "audit-scalar-rate-bool",
        lambda: audit(_clean()["actuals"], headcount=_clean()["headcount"], wages=5000.0, rates=True),
        InputTypeError,
        ("rates = True", "must be a number"),
    ),
    Case(
        "audit-wages-by-class-only",
        audit_side(
            "headcount", lambda h: h.drop(columns="class").groupby(["city", "year", "month"], as_index=False).sum()
        ),
        ValueError,
        ("rates are given by class but headcount is not",),
    ),
    Case(
        "audit-headcount-repeated",
        audit_side("headcount", lambda h: pd.concat([h, h.iloc[:1]])),
        ValueError,
        ("submission: headcount", "city 'A'", "appears more than once"),
    ),
    Case(
        "audit-beneficiaries-no-exits",
        audit_side("beneficiaries", lambda b: b.drop(columns="exits")),
        ValueError,
        ("submission: beneficiaries", "missing column 'exits'", "city, year, month, [line], count, awards, exits"),
    ),
    Case(
        "audit-beneficiaries-text-count",
        audit_side("beneficiaries", _set_first("count", "many")),
        InputTypeError,
        ("submission: beneficiaries, row 0", "count = 'many'", "not text"),
    ),
    Case(
        "audit-actuals-text-amount",
        lambda: audit(_frame(value=[1.0, "x"])),
        InputTypeError,
        ("submission: actuals, row 1", "month 2", "line 'medical'", "value = 'x'"),
    ),
    Case(
        "audit-actuals-unknown-line",
        lambda: audit(_frame(line=["medical", "medicl"])),
        ValueError,
        ("submission: actuals", "line = 'medicl'", "did you mean 'medical'?"),
    ),
]


def test_suite_size_and_distinct_ids():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case):
    badinput.check(case)


def test_repeats_and_gaps_are_findings_not_errors():
    """In the audit, repeated and missing months are findings (explicit, with their keys), never NaN."""
    from audit_data import clean_submission

    s = clean_submission(cities=("A", "B"), months=14, lines=["medical"], totals=False)
    a = s["actuals"]
    a = pd.concat([a[~((a["city"] == "B") & (a["month"] == 5) & (a["year"] == 2023))], a.iloc[[0]]])
    f = audit(a)
    assert sorted(zip(f["rule"], f["city"], f["month"])) == [("duplicate", "A", 1), ("missing_month", "B", 5)]
