"""The workbook for a budget office (issue #14 item 2): a cover sheet, Chinese names with units in the
headers, number formats, column widths, frozen headers and filters; money in 万元 throughout."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from wifund import _core, _labels, report


@pytest.fixture(scope="module")
def book(tmp_path_factory, demo_projection):
    path = tmp_path_factory.mktemp("wb") / "p.xlsx"
    demo_projection.to_excel(path)
    return openpyxl.load_workbook(path), path


def test_cover_sheet_comes_first_and_says_what_the_run_was(book, demo_projection):
    wb, _ = book
    assert wb.sheetnames[0] == "cover"
    cells = {r[0]: r[1] for r in wb["cover"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert cells["省份 Province"] == demo_projection.province.name
    assert cells["政策 Policy"] == demo_projection.policy.name
    assert cells["基年 Base year"] == str(demo_projection.province.base_year)
    assert "ILLUSTRATIVE" in cells["数据性质 Data"]
    assert cells["程序 Program"].startswith("wifund ")
    assert "万元" in cells["金额单位 Money unit"]
    assumed = list(demo_projection.assumed["key"])
    assert cells["假定参数 Assumed parameters"].startswith(str(len(assumed)))
    assert all(f"  {k}" in cells for k in assumed)


def test_headers_carry_chinese_names_and_units_and_keys(book):
    wb, _ = book
    ws = wb["fund"]
    names = [c.value for c in ws[1]]
    keys = [c.value for c in ws[2]]
    assert keys[:3] == ["year", "opening", "contributions"]
    by_key = dict(zip(keys, names, strict=True))
    assert by_key["contributions"] == "工伤保险费收入（万元）"
    assert by_key["months_of_payment"] == "可支付月数（月）"
    assert by_key["payg_cost_rate"] == "现收现付成本率（%）"
    assert by_key["insured"] == "参保人数（人）"
    exp = [c.value for c in wb["expenditure_by_item"][1]]
    assert "一次性伤残补助金（万元）" in exp and "伤残津贴（万元）" in exp


def test_number_formats_freeze_filter_and_widths(book, demo_projection):
    wb, _ = book
    ws = wb["fund"]
    keys = [c.value for c in ws[2]]
    row = {k: c for k, c in zip(keys, ws[3], strict=True)}
    assert row["closing"].number_format == "#,##0.00"
    assert row["payg_cost_rate"].number_format == "0.00%"
    assert row["months_of_payment"].number_format == "0.0"
    # money is stored unrounded in 万元
    assert row["closing"].value == pytest.approx(demo_projection.fund["closing"].iloc[0] / 1e4, rel=1e-15)
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2")
    assert ws.column_dimensions["B"].width >= 10


def test_every_axis_key_and_table_column_has_a_chinese_name(demo_projection):
    missing = []
    for axis in (_core.axes.revenue_items, _core.axes.expenditure_items, _core.axes.benefit_kinds):
        missing += [k for k in axis if _labels.zh_value(k) is None]
    for name, df in report._tables(demo_projection).items():
        frame = df.reset_index() if not isinstance(df.index, pd.RangeIndex) else df
        missing += [f"{name}.{c}" for c in frame.columns if _labels.zh(str(c)) is None]
    assert not missing, f"add these to python/wifund/data/labels.toml: {missing}"


def test_every_unit_in_labels_is_known():
    for key, unit in _labels._table()["units"].items():
        assert unit in _labels.WORKBOOK_UNITS, (key, unit)


def test_csvs_have_a_bom_and_read_back(tmp_path, demo_projection):
    folder = demo_projection.to_csv(tmp_path / "o")
    raw = (folder / "by_city.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(folder / "by_city.csv")
    assert list(back.columns) == list(demo_projection.by_city.columns)
    assert back["year"].dtype.kind == "i"  # integers stay integers
    assert "2025," in raw.decode("utf-8-sig").splitlines()[1]  # not "2025.0"


def test_report_budget_year_table_by_hand(demo_projection):
    t = report._budget_year_table(demo_projection)
    first = demo_projection.years[0]
    col = f"{first} 预测 projected"
    f = demo_projection.fund.loc[first]
    assert t.loc["工伤保险费收入 contributions", col] == pytest.approx(f["contributions"] / 1e8, rel=1e-12)
    assert t.loc["基金支出合计 expenditure", col] == pytest.approx(f["expenditure"] / 1e8, rel=1e-12)
    # the item lines add up to the totals (one money unit, 亿元, throughout)
    items = [i for i in t.index if i.split()[-1] in _core.axes.expenditure_items]
    assert t.loc[items, col].sum() == pytest.approx(t.loc["基金支出合计 expenditure", col], rel=1e-12)
    base = f"{demo_projection.province.base_year} 实际 actual"
    assert t.loc["工伤保险费收入 contributions", base] == demo_projection.province.fund["base_contributions"] / 1e8
    html = report.render_html(demo_projection)
    assert html.count("亿 yuan") == 0 and "million yuan" not in html  # one money unit per document


def test_main_job_workbook_leaves_long_tables_to_their_csv(tmp_path, demo_projection):
    """wifund run's workbook holds tables up to --workbook-rows rows; longer ones are only in their CSV,
    named in the notes sheet (a 900-city province has 1.2 million by_city rows)."""
    out = report.write_run(demo_projection, tmp_path / "run", workbook_rows=5_000)
    sheets = openpyxl.load_workbook(out / "projection.xlsx", read_only=True).sheetnames
    long = {n for n, df in report._tables(demo_projection).items() if len(df) > 5_000}
    assert long and not long & set(sheets)  # e.g. by_city (13,000 rows for the demo)
    notes = pd.read_excel(out / "projection.xlsx", sheet_name="notes", header=1)["note"].tolist()
    for name in long:
        assert any(n.startswith(f"{name}: ") and f"the whole table is in {name}.csv" in n for n in notes)
        assert (out / f"{name}.csv").exists()
    full = report.write_run(demo_projection, tmp_path / "all", workbook_rows=None)
    assert long <= set(openpyxl.load_workbook(full / "projection.xlsx", read_only=True).sheetnames)
