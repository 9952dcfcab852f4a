"""Actuals (执行数): the long schema, and reading / writing it from files and SQL databases (issue #10, item 7).

Schema
------
One row per city, month and budget line, amounts in yuan:

======  =========================  ================================================================
column  type                       rule
======  =========================  ================================================================
city    text                       non-empty; integer city codes (220100) are accepted as text
year    integer                    1900..2200; int64, or from SQL also ``Decimal``; ``2024.0`` is
                                   accepted (exact), ``2024.5``, ``True`` and text are errors
month   integer                    1..12, same rules as ``year``
line    text                       one of :data:`LINES` (an unknown line is an error with a
                                   did-you-mean); surrounding spaces are removed
value   number (yuan)              finite; ``Decimal`` is accepted; text (also numeric text such as
                                   ``'1.5'``), booleans, empty cells and NaN are errors naming the
                                   city, year, month and line
======  =========================  ================================================================

A (city, year, month, line) appears at most once: a repeat is an error here, and a finding in
:func:`wifund.budget_audit.audit` (which reads with ``duplicates="keep"``). Columns beyond the five
(an ``id`` or a load time stamp in a database table) are ignored. The checked frame is *canonical*:
the five columns in this order with dtypes ``str, int64, int64, str, float64``, rows sorted by
(city, year, month, line) (code-point order, stable), a fresh ``RangeIndex`` -- so a round trip through
any source gives back an identical frame.

Sources
-------
:func:`read_actuals` and :func:`write_actuals` take a path ending in ``.csv`` (read with
:func:`wifund._csv.read_csv`, so any Excel encoding; written as UTF-8), ``.xlsx`` (first sheet, or
``sheet=``), ``.parquet`` (pyarrow, the optional extra ``wifund[parquet]``), or an SQLAlchemy URL or
:class:`sqlalchemy.engine.Engine` with ``table=`` (``wifund[sql]``; PostgreSQL through psycopg 3, SQLite
built in, any other database with its SQLAlchemy driver).
"""

from __future__ import annotations

import decimal
import io as _stdio
import math
import os
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Literal, cast

import numpy as np
import pandas as pd

from . import _core
from ._checks import InputTypeError, check_choice, show, suggest
from ._io import OutputExistsError, write_file

__all__ = [
    "ACTUALS_COLUMNS",
    "KEY",
    "REVENUE_LINES",
    "EXPENDITURE_LINES",
    "TOTAL_LINES",
    "LINES",
    "SCHEMA",
    "check_actuals",
    "read_actuals",
    "write_actuals",
]

#: The columns of the long actuals frame, in order.
ACTUALS_COLUMNS: tuple[str, ...] = ("city", "year", "month", "line", "value")
#: The columns that identify a row.
KEY: tuple[str, ...] = ("city", "year", "month", "line")
#: Revenue lines (收入).
REVENUE_LINES: tuple[str, ...] = (
    "contributions",
    "interest",
    "fiscal_subsidy",
    "transfer_in",
    "remittance_in",
    "other_income",
)
#: Expenditure lines (支出): the projection's expenditure items (the engine's axis, ``_core.axes.expenditure_items``)
#: and the two budget-only lines. This module and :mod:`wifund.budget` take their line keys from here.
EXPENDITURE_LINES: tuple[str, ...] = tuple(_core.axes.expenditure_items) + ("transfer_out", "other_expenditure")
#: Reported totals (optional) and the lines they sum.
TOTAL_LINES: dict[str, tuple[str, ...]] = {"revenue": REVENUE_LINES, "expenditure": EXPENDITURE_LINES}
#: Every line key a row may carry.
LINES: tuple[str, ...] = REVENUE_LINES + EXPENDITURE_LINES + tuple(TOTAL_LINES)
#: The schema in words, for messages.
SCHEMA = "city (text), year (integer), month (integer 1..12), line (text, one of wifund.io.LINES), value (number, yuan)"

FILE_TYPES = {".csv": "CSV", ".xlsx": "Excel", ".xlsm": "Excel", ".parquet": "Parquet", ".pq": "Parquet"}
EXCEL_MAX_ROWS = 1_048_575  # one sheet, below the header row
_PARQUET_MARK = b"wifund.actuals"
_LINE_SET = frozenset(LINES)

Duplicates = Literal["error", "keep"]
IfExists = Literal["fail", "replace", "append"]


# ================================================================================================
# Column checks (vectorised; also used for the side tables of wifund.budget_audit)
# ================================================================================================
class _Rows:
    """Names a row in messages: where the frame came from, the row (file line, sheet row, frame index)
    and its raw key values."""

    def __init__(self, frame: pd.DataFrame, where: str, row_label: Callable[[int], str] | None, key: Sequence[str]):
        self.frame, self.where, self.row_label = frame, where, row_label
        self.key = [k for k in key if k in frame.columns]

    def __call__(self, i: int) -> str:
        return self.at(i) + self.keys(i)

    def at(self, i: int) -> str:
        """``where, row …`` for row ``i`` (position)."""
        return f"{self.where}, {_row_name(self.frame, self.row_label, i)}"

    def keys(self, i: int) -> str:
        parts = [f"{k} {show(self.frame[k].iat[i])}" for k in self.key]
        return f" ({', '.join(parts)})" if parts else ""

    def fail(self, column: str, i: int, rule: str, exc: type[Exception] = ValueError) -> Exception:
        return exc(f"{self(i)}: {column} = {show(self.frame[column].iat[i])}: {rule}")


def _row_name(frame: pd.DataFrame, row_label: Callable[[int], str] | None, i: int) -> str:
    if row_label is not None:
        return row_label(i)
    if frame.index.is_unique:
        return f"row {show(frame.index[i])}"
    return f"row at position {i}"


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float | np.floating):
        return bool(np.isnan(v))
    if isinstance(v, decimal.Decimal):
        return v.is_nan()
    return False


def _is_numeric_text(s: str) -> bool:
    """'1.5' (but not 'nan' or 'inf': text that names no amount)."""
    try:
        return math.isfinite(float(s))
    except ValueError:
        return False


def text_codes(frame: pd.DataFrame, column: str, rows: _Rows) -> tuple[np.ndarray, np.ndarray]:
    """The column as (codes, labels): ``labels`` the sorted distinct stripped non-empty ``str`` values
    (integer codes such as 220100 become text), ``codes`` each row's position in them. The checks run on
    the distinct values only (a province has a hundred cities and two dozen lines, not 300,000)."""
    col = frame[column]
    if pd.api.types.is_bool_dtype(col.dtype):
        raise rows.fail(column, 0, "must be text, not a boolean", InputTypeError)
    if pd.api.types.is_float_dtype(col.dtype):
        bad = np.flatnonzero(col.isna().to_numpy())
        if len(bad):
            raise rows.fail(column, int(bad[0]), "is missing (an empty cell); every row needs one")
        raise rows.fail(column, 0, "must be text, not a number", InputTypeError)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    if (codes < 0).any():
        raise rows.fail(column, int(np.argmax(codes < 0)), "is missing (an empty cell); every row needs one")
    uniques = np.asarray(uniques, dtype=object)
    text = np.empty(len(uniques), dtype=object)
    for k, v in enumerate(uniques):
        if isinstance(v, str):
            text[k] = v.strip()
        elif isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_):
            text[k] = str(int(v))
        else:
            i = int(np.argmax(codes == k))
            if _missing(v):
                raise rows.fail(column, i, "is missing (an empty cell); every row needs one")
            what = "a boolean" if isinstance(v, bool | np.bool_) else type(v).__name__
            raise rows.fail(column, i, f"must be text, not {what}", InputTypeError)
        if not text[k]:
            raise rows.fail(
                column, int(np.argmax(codes == k)), "is empty; every row needs a non-empty one", InputTypeError
            )
    # Distinct after stripping (' Xihe' and 'Xihe' are one city), in code-point order.
    labels, inverse = np.unique(text.astype(str), return_inverse=True)
    return inverse.reshape(-1)[codes].astype(np.int64), labels.astype(object)


def text_column(frame: pd.DataFrame, column: str, rows: _Rows) -> np.ndarray:
    """The column as an object array of stripped, non-empty ``str`` (see :func:`text_codes`)."""
    codes, labels = text_codes(frame, column, rows)
    return cast("np.ndarray", labels[codes])


def number_column(frame: pd.DataFrame, column: str, rows: _Rows, what: str = "a number") -> np.ndarray:
    """The column as float64: finite numbers only (Decimal accepted; text, booleans, NaN are errors)."""
    col = frame[column]
    if pd.api.types.is_bool_dtype(col.dtype):
        raise rows.fail(column, 0, f"must be {what}, not a boolean", InputTypeError)
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_object_dtype(col.dtype):
        try:
            arr = col.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):  # pragma: no cover - numeric dtypes convert
            arr = np.asarray(col, dtype=float)
    else:
        values = col.to_numpy(dtype=object)
        arr = np.empty(len(values))
        first_text = -1
        for i, v in enumerate(values):
            if isinstance(v, bool | np.bool_):
                raise rows.fail(column, i, f"must be {what}, not a boolean", InputTypeError)
            if isinstance(v, int | float | np.integer | np.floating | decimal.Decimal):
                arr[i] = float(v)
            elif _missing(v):
                arr[i] = np.nan
            elif isinstance(v, str):
                if not _is_numeric_text(v):
                    raise rows.fail(column, i, f"must be {what}, not text", InputTypeError)
                if first_text < 0:
                    first_text = i
                arr[i] = np.nan
            else:
                raise rows.fail(column, i, f"must be {what}, not {type(v).__name__}", InputTypeError)
        if first_text >= 0:
            raise rows.fail(
                column,
                first_text,
                f"must be {what}, not text (the column holds text; numeric text is not converted, store numbers)",
                InputTypeError,
            )
    nan = np.flatnonzero(np.isnan(arr))
    if len(nan):
        raise rows.fail(
            column, int(nan[0]), "is missing (an empty cell or NaN); every row needs a number", InputTypeError
        )
    inf = np.flatnonzero(np.isinf(arr))
    if len(inf):
        raise rows.fail(column, int(inf[0]), "must be finite")
    return cast("np.ndarray", arr)


def int_column(frame: pd.DataFrame, column: str, rows: _Rows, lo: int, hi: int) -> np.ndarray:
    """The column as int64 in [lo, hi]: integers, or numbers that are exact integers (``2024.0``)."""
    col = frame[column]
    if pd.api.types.is_integer_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        if col.isna().any():  # nullable Int64 with <NA>
            raise rows.fail(column, int(np.flatnonzero(col.isna().to_numpy())[0]), "is missing (an empty cell)")
        arr = col.to_numpy(dtype="int64")
    else:
        f = number_column(frame, column, rows, "an integer")
        frac = np.flatnonzero(f != np.floor(f))
        if len(frac):
            raise rows.fail(column, int(frac[0]), "must be an integer", InputTypeError)
        big = np.flatnonzero(np.abs(f) > 2.0**53)
        if len(big):
            raise rows.fail(column, int(big[0]), f"must be an integer from {lo} to {hi}")
        arr = f.astype("int64")
    out = np.flatnonzero((arr < lo) | (arr > hi))
    if len(out):
        raise rows.fail(column, int(out[0]), f"must be an integer from {lo} to {hi}")
    return cast("np.ndarray", arr)


def require_frame(frame: Any, where: str, columns: Sequence[str], schema: str) -> pd.DataFrame:
    """``frame`` is a DataFrame holding ``columns`` (the message names the missing ones and the schema)."""
    if not isinstance(frame, pd.DataFrame):
        raise InputTypeError(
            f"{where} = {show(frame)}: must be a pandas DataFrame with columns {schema}, not {type(frame).__name__}"
        )
    names = [str(c) for c in frame.columns]
    missing = [c for c in columns if c not in names]
    if missing:
        hints = "".join(suggest(m, [n for n in names if n not in columns]) for m in missing[:1])
        raise ValueError(
            f"{where}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}{hints}; found {names}; expected {schema}"
        )
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"{where}: column {dup[0]!r} appears more than once; expected {schema}")
    if frame.empty:
        raise ValueError(f"{where}: no rows (the frame is empty); expected {schema}")
    return frame


def period_text(year: int, month: int) -> str:
    return f"{int(year)}-{int(month):02d}"


# ================================================================================================
# The schema check
# ================================================================================================
def check_actuals(
    frame: Any,
    where: str = "actuals",
    *,
    duplicates: Duplicates = "error",
    row_label: Callable[[int], str] | None = None,
    budget: bool = False,
) -> pd.DataFrame:
    """Checks a long actuals frame and returns it in canonical form (the one check of the long schema;
    :func:`wifund.budget.check_actuals` is this with ``budget=True``).

    Parameters
    ----------
    frame
        A DataFrame with columns ``city, year, month, line, value`` (see the module docstring);
        other columns are ignored.
    where
        How the frame is named in messages (a file name, ``"table 'actuals' in sqlite:///x.db"``).
    duplicates
        ``"error"`` (default): a repeated (city, year, month, line) is an error naming it.
        ``"keep"``: repeats are kept (in their order) for the audit to report.
    row_label
        Names row ``i`` in messages (``"file line 7"``); default ``"row <index label>"``.
    budget
        The stricter reading of :mod:`wifund.budget` (execution monitoring, drafts): the totals
        ``revenue`` / ``expenditure`` are computed and may not be given, the city ``"(province)"`` is
        reserved for the computed province row, and the months of each city's year must run 1, 2, ..., n
        without a hole (a missing month is an error, not a zero).

    Returns
    -------
    pandas.DataFrame
        The five columns, dtypes ``str, int64, int64, str, float64``, sorted by (city, year, month,
        line), with a ``RangeIndex``.

    Raises
    ------
    ValueError
        A missing column (naming it and the schema), an empty frame, a missing or non-integer year
        or month, a month outside 1..12, an unknown line (with a did-you-mean), a missing or
        infinite amount, a duplicated key. Each message names the row, its city, year, month and line
        and the offending value. Wrong types (text or booleans as amounts) raise
        :class:`wifund._checks.InputTypeError`, a ``ValueError`` too.
    """
    return _check_actuals(frame, where, duplicates, row_label, budget)[0]


#: The label of the computed province row in :mod:`wifund.budget` results (reserved in its actuals).
PROVINCE_LABEL = "(province)"


def _check_budget_rules(frame: pd.DataFrame, rows: _Rows, out: pd.DataFrame, order: np.ndarray) -> None:
    """The rules of ``check_actuals(..., budget=True)`` on the checked rows (``out``, sorted by ``order``)."""
    for col, bad, rule in (
        ("city", out["city"] == PROVINCE_LABEL, "this label is reserved for the province total, which is computed"),
        ("line", out["line"].isin(list(TOTAL_LINES)), "is a computed total; give its lines instead"),
    ):
        hit = bad.to_numpy()
        if hit.any():
            raise rows.fail(col, int(order[int(np.argmax(hit))]), rule)
    cm = out[["city", "year", "month"]].drop_duplicates()
    g = cm.groupby(["city", "year"], sort=False)["month"]
    stats = pd.DataFrame({"n": g.size(), "max": g.max()})
    holes = stats[stats["n"] != stats["max"]]
    if len(holes):
        (c, y), row = next(iter(holes.iterrows()))
        got = sorted(cm.loc[(cm["city"] == c) & (cm["year"] == y), "month"].tolist())
        miss = [m for m in range(1, int(row["max"]) + 1) if m not in got]
        raise ValueError(
            f"{rows.where}: month for city {c!r}, year {y} = {miss[0]} is missing (months reported: {got}); "
            "months must run 1, 2, ... without a gap (a month with no flows needs a row with value 0)"
        )


def _check_actuals(
    frame: Any,
    where: str,
    duplicates: Duplicates,
    row_label: Callable[[int], str] | None,
    budget: bool = False,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """:func:`check_actuals`, and the codes of its (sorted) rows: ``city_code`` into ``cities``,
    ``line_code`` into ``lines`` (both sorted label arrays), for callers that index by them."""
    check_choice("duplicates", duplicates, ["error", "keep"])
    frame = require_frame(frame, where, ACTUALS_COLUMNS, SCHEMA)
    if not all(isinstance(c, str) for c in frame.columns):
        frame = frame.rename(columns=str)
    rows = _Rows(frame, where, row_label, KEY)
    city_code, cities = text_codes(frame, "city", rows)
    year = int_column(frame, "year", rows, 1900, 2200)
    month = int_column(frame, "month", rows, 1, 12)
    line_code, lines = text_codes(frame, "line", rows)
    for k, ln in enumerate(lines):
        if ln not in _LINE_SET:
            i = int(np.argmax(line_code == k))
            raise ValueError(
                f"{rows(i)}: line = {show(ln)}: unknown line{suggest(ln, LINES)} "
                f"(known: revenue {list(REVENUE_LINES)}, expenditure {list(EXPENDITURE_LINES)}, "
                f"totals {list(TOTAL_LINES)})"
            )
    value = number_column(frame, "value", rows, "a number (yuan)")
    # One integer per key, ordered as (city, year, month, line): sorting and finding repeats on it is
    # much faster than on strings.
    key = ((city_code * 301 + (year - 1900)) * 12 + (month - 1)) * len(lines) + line_code
    order = np.argsort(key, kind="stable")
    ks = key[order]
    repeat = np.zeros(len(key), dtype=bool)
    repeat[order[1:]] = ks[1:] == ks[:-1]
    if duplicates == "error" and repeat.any():
        same_key = key == key[int(np.argmax(repeat))]
        same = np.flatnonzero(same_key)
        first = int(same[0])
        n_keys = len(np.unique(key[repeat]))
        at = " and ".join(_row_name(frame, row_label, int(i)) for i in same[:3])
        raise ValueError(
            f"{where}: city {cities[city_code[first]]!r}, {period_text(year[first], month[first])}, "
            f"line {lines[line_code[first]]!r} appears {len(same)} times ({at}; values "
            f"{', '.join(f'{v:g}' for v in value[same[:3]])}); each (city, year, month, line) "
            f"must appear once (month {month[first]} of {year[first]}; "
            f"{n_keys} repeated key{'s' if n_keys > 1 else ''} in all; "
            f"wifund.budget_audit.audit reports repeats as findings)"
        )
    out = pd.DataFrame(
        {
            "city": _labels(cities, city_code[order]),
            "year": year[order],
            "month": month[order],
            "line": _labels(lines, line_code[order]),
            "value": value[order],
        }
    )
    if budget:
        _check_budget_rules(frame, rows, out, order)
    return out, {"city_code": city_code[order], "cities": cities, "line_code": line_code[order], "lines": lines}


def _labels(labels: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``labels[codes]`` as a ``str`` Series, built from the distinct labels (fast for few labels)."""
    return pd.Series(pd.array(labels, dtype=str).take(codes))


# ================================================================================================
# Sources
# ================================================================================================
def _sqlalchemy() -> Any:
    try:
        import sqlalchemy
    except ImportError:  # pragma: no cover - installed with the extra
        raise ImportError(
            "reading or writing a database needs SQLAlchemy: pip install 'wifund[sql]' "
            "(SQLAlchemy and psycopg for PostgreSQL)"
        ) from None
    return sqlalchemy


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:  # pragma: no cover - installed with the extra
        raise ImportError("reading or writing Parquet needs pyarrow: pip install 'wifund[parquet]'") from None
    return pyarrow, pyarrow.parquet


def _is_url(source: Any) -> bool:
    return isinstance(source, str) and "://" in source


def _is_engine(source: Any) -> bool:
    mod = type(source).__module__
    if not mod.startswith("sqlalchemy"):
        return False
    sa = _sqlalchemy()
    return isinstance(source, sa.engine.Engine | sa.engine.URL)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0].strip() if text else type(orig).__name__


class _Database:
    """An engine for a URL (created and disposed here) or one the caller passed (left open)."""

    def __init__(self, source: Any, *, reading: bool):
        sa = _sqlalchemy()
        self.owned = not isinstance(source, sa.engine.Engine)
        if self.owned:
            try:
                url = sa.engine.make_url(source)
            except sa.exc.ArgumentError:
                raise ValueError(
                    f"{source!r} is not a database URL (dialect+driver://user:password@host:port/"
                    f"database, e.g. postgresql+psycopg://user@localhost/fund or "
                    f"sqlite:///actuals.db)"
                ) from None
            if url.drivername == "postgresql":  # SQLAlchemy 2.0 means psycopg2; we ship psycopg 3
                try:
                    import psycopg2  # noqa: F401
                except ImportError:
                    url = url.set(drivername="postgresql+psycopg")
            self.shown = url.render_as_string(hide_password=True)
            if (
                reading
                and url.get_backend_name() == "sqlite"
                and url.database not in (None, "", ":memory:")
                and not url.database.startswith("file:")
                and not Path(url.database).exists()
            ):
                # SQLite would create an empty database file on connect.
                raise FileNotFoundError(f"{self.shown}: no such database file {url.database}")
            kwargs: dict[str, Any] = {}
            if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
                kwargs["connect_args"] = {"connect_timeout": 10}  # an unreachable host answers in 10 s
            try:
                self.engine = sa.create_engine(url, **kwargs)
            except sa.exc.NoSuchModuleError:
                raise ValueError(
                    f"{self.shown}: unknown database dialect or driver {url.drivername!r}"
                    f"{suggest(url.drivername, ['postgresql', 'postgresql+psycopg', 'sqlite'])}"
                ) from None
            except ImportError as exc:
                raise ImportError(
                    f"{self.shown}: the database driver is not installed ({exc.name or exc}); "
                    f"for PostgreSQL: pip install 'wifund[sql]' (psycopg 3)"
                ) from None
        else:
            self.engine = source
            self.shown = source.url.render_as_string(hide_password=True)

    def connect(self, begin: bool = False) -> Any:
        sa = _sqlalchemy()
        try:
            return self.engine.begin() if begin else self.engine.connect()
        except sa.exc.DBAPIError as exc:
            raise ConnectionError(f"cannot connect to {self.shown}: {_first_line(exc)}") from None

    def close(self) -> None:
        if self.owned:
            self.engine.dispose()


def _split_table(table: Any, shown: str) -> tuple[str | None, str]:
    if table is None:
        raise ValueError(f"{shown}: table= is required to read or write a database (e.g. table='actuals')")
    if not isinstance(table, str) or not table.strip():
        raise InputTypeError(f"table = {show(table)}: must be a table name (text), not {type(table).__name__}")
    schema, _, name = table.rpartition(".")
    return (schema or None), name


def _read_sql(source: Any, table: Any, duplicates: Duplicates) -> pd.DataFrame:
    sa = _sqlalchemy()
    db = _Database(source, reading=True)
    schema, name = _split_table(table, db.shown)
    where = f"table {table!r} in {db.shown}"
    try:
        # Connecting (ConnectionError when unreachable) before the transaction so the message is one line.
        with db.connect() as conn:
            insp = sa.inspect(conn)
            if not insp.has_table(name, schema=schema):
                names = insp.get_table_names(schema=schema)
                raise ValueError(f"{db.shown}: no table {table!r}{suggest(name, names)} (tables: {names})")
            columns = [c["name"] for c in insp.get_columns(name, schema=schema)]
            missing = [c for c in ACTUALS_COLUMNS if c not in columns]
            if missing:
                raise ValueError(
                    f"{where}: missing column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(map(repr, missing))}{suggest(missing[0], columns)}; found {columns}; "
                    f"expected {SCHEMA}"
                )
            t = sa.Table(name, sa.MetaData(), schema=schema, autoload_with=conn)
            result = conn.execute(sa.select(*[t.c[c] for c in ACTUALS_COLUMNS]))
            records = result.fetchall()
    except sa.exc.DBAPIError as exc:
        raise ValueError(f"{where}: {_first_line(exc)}") from None
    finally:
        db.close()
    if not records:
        raise ValueError(f"{where}: no rows; expected {SCHEMA}")
    # Homogeneous columns become int64 / float64 / str here; Decimal (NUMERIC) or mixed ones stay object
    # and are converted (or named in an error) by check_actuals.
    frame = pd.DataFrame({c: pd.Series(v) for c, v in zip(ACTUALS_COLUMNS, zip(*records))})
    return check_actuals(frame, where, duplicates=duplicates, row_label=lambda i: f"row {i + 1} of the table")


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FILE_TYPES:
        extra = " (the old .xls format: save it as .xlsx)" if suffix == ".xls" else ""
        raise ValueError(
            f"{path}: unknown file type {suffix or '(no extension)'!r}{extra}; actuals are read from "
            f"and written to {', '.join(sorted(FILE_TYPES))} files or a database URL "
            f"(postgresql+psycopg://..., sqlite:///...) with table="
        )
    return suffix


def _read_file(path: Path, sheet: Any, duplicates: Duplicates) -> pd.DataFrame:
    suffix = _suffix(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder, not a {FILE_TYPES[suffix]} file")
    if sheet is not None and FILE_TYPES[suffix] != "Excel":
        raise ValueError(f"sheet = {show(sheet)}: only Excel files have sheets ({path} is {FILE_TYPES[suffix]})")
    name = str(path)
    if suffix == ".csv":
        from ._csv import read_csv

        frame, lines = read_csv(
            path,
            list(ACTUALS_COLUMNS),
            label=name,
            with_lines=True,
            dtype={"city": str, "line": str},
            keep_default_na=False,
            na_values=[""],
        )
        return check_actuals(frame, name, duplicates=duplicates, row_label=lambda i: f"file line {lines[i]}")
    if FILE_TYPES[suffix] == "Excel":
        try:
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True)
            sheets = list(book.sheetnames)
            book.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValueError(f"{path}: not an Excel workbook (.xlsx) ({_first_line(exc)})") from None
        if sheet is None:
            sheet = sheets[0]
        elif not isinstance(sheet, str) or sheet not in sheets:
            raise ValueError(f"{path}: sheet = {show(sheet)}: no such sheet{suggest(sheet, sheets)} (sheets: {sheets})")
        # Only empty cells are missing: text such as 'n/a' or 'NULL' is shown as written in messages.
        frame = pd.read_excel(path, sheet_name=sheet, engine="openpyxl", keep_default_na=False, na_values=[""])
        frame.columns = [str(c).strip() for c in frame.columns]
        return check_actuals(
            frame, f"{path} sheet {sheet!r}", duplicates=duplicates, row_label=lambda i: f"row {i + 2}"
        )
    pa, pq = _pyarrow()
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise ValueError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from None
    frame = table.to_pandas()
    return check_actuals(frame, name, duplicates=duplicates, row_label=lambda i: f"row {i + 1}")


def read_actuals(
    source: str | os.PathLike[str] | Any,
    table: str | None = None,
    *,
    sheet: str | None = None,
    duplicates: Duplicates = "error",
) -> pd.DataFrame:
    """Reads actuals in the long schema from a file or a database.

    Parameters
    ----------
    source
        A path ending in ``.csv``, ``.xlsx`` / ``.xlsm`` or ``.parquet`` / ``.pq``; or an SQLAlchemy URL
        (``"postgresql+psycopg://user:pw@host:5432/fund"``, ``"sqlite:///actuals.db"``; a bare
        ``postgresql://`` uses psycopg 3) or an :class:`sqlalchemy.engine.Engine`.
    table
        The table to read (required for a database, ``"schema.table"`` allowed; not allowed for a file).
    sheet
        Excel only: the sheet (default the first).
    duplicates
        ``"error"`` or ``"keep"`` (for :func:`wifund.budget_audit.audit`), see :func:`check_actuals`.

    Returns
    -------
    pandas.DataFrame
        The canonical frame of :func:`check_actuals`.

    Raises
    ------
    ValueError
        Wrong schema (naming the column and the schema), a bad row (naming the file line, sheet row
        or table row with its city, year, month and line), an unknown file type, a missing table or
        sheet (with a did-you-mean), ``table`` missing for a database or given for a file.
    FileNotFoundError
        The file (or SQLite database file) does not exist.
    ConnectionError
        The database cannot be reached: one line naming the URL, password masked.
    """
    check_choice("duplicates", duplicates, ["error", "keep"])
    if _is_url(source) or _is_engine(source):
        if sheet is not None:
            raise ValueError(f"sheet = {show(sheet)}: only Excel files have sheets, not databases")
        return _read_sql(source, table, duplicates)
    if not isinstance(source, str | os.PathLike):
        raise InputTypeError(
            f"source = {show(source)}: must be a file path, a database URL or an SQLAlchemy "
            f"Engine, not {type(source).__name__}"
        )
    path = Path(source)
    if table is not None:
        raise ValueError(f"table = {show(table)}: tables are for database URLs; {path} is a file")
    return _read_file(path, sheet, duplicates)


# ------------------------------------------------------------------------------------------ writing
def _csv_writer(frame: pd.DataFrame) -> Callable[[IO[bytes]], None]:
    def write(fh: IO[bytes]) -> None:
        text = _stdio.TextIOWrapper(fh, encoding="utf-8", newline="")
        frame.to_csv(text, index=False, lineterminator="\n")  # floats as repr: exact round trip
        text.flush()
        text.detach()

    return write


def _excel_writer(frame: pd.DataFrame) -> Callable[[IO[bytes]], None]:
    def write(fh: IO[bytes]) -> None:
        from . import __version__

        buf = _stdio.BytesIO()  # built in memory, then copied (see report._write_excel_into)
        with pd.ExcelWriter(buf, engine="openpyxl") as xw:
            frame.to_excel(xw, sheet_name="actuals", index=False)
            xw.book.properties.creator = f"wifund {__version__}"
            xw.book.properties.lastModifiedBy = "wifund"
        fh.write(buf.getbuffer())

    return write


def _parquet_writer(frame: pd.DataFrame) -> Callable[[IO[bytes]], None]:
    pa, pq = _pyarrow()
    schema = pa.schema(
        [
            ("city", pa.string()),
            ("year", pa.int64()),
            ("month", pa.int64()),
            ("line", pa.string()),
            ("value", pa.float64()),
        ],
        metadata={b"wifund": _PARQUET_MARK},
    )
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)

    def write(fh: IO[bytes]) -> None:
        pq.write_table(table, fh)

    return write


def _is_our_workbook(path: Path) -> bool:
    from .report import _is_wifund_workbook

    return _is_wifund_workbook(path)


def _is_our_parquet(path: Path) -> bool:
    try:
        _, pq = _pyarrow()
        meta = pq.read_schema(path).metadata or {}
    except Exception:  # noqa: BLE001 - anything unreadable is not ours
        return False
    return meta.get(b"wifund") == _PARQUET_MARK


def _write_sql(frame: pd.DataFrame, target: Any, table: Any, if_exists: str) -> Any:
    sa = _sqlalchemy()
    db = _Database(target, reading=False)
    schema, name = _split_table(table, db.shown)
    where = f"table {table!r} in {db.shown}"
    columns = {c: frame[c].tolist() for c in ACTUALS_COLUMNS}  # Python str / int / float
    try:
        with db.connect(begin=True) as conn:  # one transaction: a failed write leaves the table as it was
            insp = sa.inspect(conn)
            exists = insp.has_table(name, schema=schema)
            if exists and if_exists == "fail":
                raise OutputExistsError(
                    f"{where} already exists; pass if_exists='replace' to replace it or "
                    f"if_exists='append' to add the rows"
                )
            if exists and if_exists == "append":
                dest = sa.Table(name, sa.MetaData(), schema=schema, autoload_with=conn)
                missing = [c for c in ACTUALS_COLUMNS if c not in dest.c]
                if missing:
                    raise ValueError(
                        f"{where}: cannot append, the table has no column "
                        f"{', '.join(map(repr, missing))}; expected {SCHEMA}"
                    )
            else:
                if exists:  # replace
                    sa.Table(name, sa.MetaData(), schema=schema, autoload_with=conn).drop(conn)
                dest = sa.Table(
                    name,
                    sa.MetaData(),
                    sa.Column("city", sa.String(100), nullable=False),
                    sa.Column("year", sa.Integer, nullable=False),
                    sa.Column("month", sa.Integer, nullable=False),
                    sa.Column("line", sa.String(40), nullable=False),
                    sa.Column("value", sa.Double, nullable=False),
                    sa.PrimaryKeyConstraint(*KEY),
                    schema=schema,
                )
                dest.create(conn)
            # The driver's executemany with the statement compiled once: SQLAlchemy's per-row parameter
            # processing took 25 µs a row (7 s for a province's ten years).
            compiled = dest.insert().compile(dialect=conn.dialect)
            names = list(compiled.positiontup) if compiled.positional else list(compiled.params)
            params: list[Any] = list(zip(*(columns[n] for n in names)))
            if not compiled.positional:
                params = [dict(zip(names, p)) for p in params]
            conn.exec_driver_sql(str(compiled), params)
    except sa.exc.IntegrityError as exc:
        raise ValueError(
            f"{where}: the rows would repeat a (city, year, month, line) already in the table "
            f"({_first_line(exc)}); nothing was written. Use if_exists='replace' or remove those "
            f"rows first"
        ) from None
    except sa.exc.DBAPIError as exc:
        raise ValueError(f"{where}: {_first_line(exc)}; nothing was written") from None
    finally:
        db.close()
    return target


def write_actuals(
    frame: pd.DataFrame, target: str | os.PathLike[str] | Any, table: str | None = None, *, if_exists: IfExists = "fail"
) -> Any:
    """Writes actuals (checked with :func:`check_actuals`, sorted) to a file or a database table.

    Parameters
    ----------
    frame
        Actuals in the long schema.
    target
        A path ending in ``.csv`` (UTF-8), ``.xlsx`` (sheet ``actuals``) or ``.parquet``; or an SQLAlchemy
        URL or Engine (with ``table``).
    table
        The database table (``"schema.table"`` allowed). A new table gets the columns ``city
        VARCHAR(100), year INTEGER, month INTEGER, line VARCHAR(40), value DOUBLE PRECISION`` and the
        primary key (city, year, month, line).
    if_exists
        What to do when the target exists. Database: ``"fail"`` (default: an error naming the table),
        ``"replace"`` (drop and create it, in the same transaction as the insert where the database
        allows), ``"append"`` (insert; a repeated key is an error and nothing is written). File:
        ``"fail"`` refuses a file wifund did not write (as every wifund writer: a workbook or Parquet file
        that wifund wrote and nobody saved since is replaced; a CSV has no room for a mark, so an
        existing CSV is always refused), ``"replace"`` replaces any regular file, ``"append"`` is an error.

    Returns
    -------
    pathlib.Path or the URL / Engine
        Where the actuals were written.

    Raises
    ------
    wifund._io.OutputExistsError
        The file or table exists (a ``FileExistsError``).
    ValueError
        Bad actuals (see :func:`check_actuals`), an unknown file type, ``table`` missing or misplaced,
        more rows than an Excel sheet holds, a repeated key on append.
    ConnectionError
        The database cannot be reached (the URL with its password masked).
    """
    check_choice("if_exists", if_exists, ["fail", "replace", "append"])
    is_db = _is_url(target) or _is_engine(target)
    if not is_db and not isinstance(target, str | os.PathLike):
        raise InputTypeError(
            f"target = {show(target)}: must be a file path, a database URL or an SQLAlchemy "
            f"Engine, not {type(target).__name__}"
        )
    if not is_db:
        path = Path(target)
        suffix = _suffix(path)
        if table is not None:
            raise ValueError(f"table = {show(table)}: tables are for database URLs; {path} is a file")
        if if_exists == "append":
            raise ValueError(
                f"if_exists = 'append': appending works for database tables only; {path} is a "
                f"{FILE_TYPES[suffix]} file (read it, concatenate, and write a new file)"
            )
    frame = check_actuals(frame, "actuals to write")
    if is_db:
        return _write_sql(frame, target, table, if_exists)
    kind = FILE_TYPES[suffix]
    if kind == "Excel" and len(frame) > EXCEL_MAX_ROWS:
        raise ValueError(
            f"{path}: {len(frame):,} rows are more than one Excel sheet holds ({EXCEL_MAX_ROWS:,}); "
            f"write a .parquet or .csv file or a database table instead"
        )
    if kind == "CSV":
        writer, is_ours = _csv_writer(frame), (lambda p: False)
    elif kind == "Excel":
        writer, is_ours = _excel_writer(frame), _is_our_workbook
    else:
        writer, is_ours = _parquet_writer(frame), _is_our_parquet
    try:
        return write_file(path, writer, is_ours=is_ours, what=f"{kind} actuals file", overwrite=if_exists == "replace")
    except OutputExistsError as exc:
        article = "an" if kind == "Excel" else "a"
        why = (
            "a CSV file carries no wifund mark, so wifund never replaces one unasked"
            if kind == "CSV"
            else f"it is not {article} {kind} actuals file written by wifund, or it was saved since"
        )
        raise OutputExistsError(
            f"{path} exists ({why}); choose another file name, or pass if_exists='replace' to replace it",
            path,
            exc.errno,
        ) from None
