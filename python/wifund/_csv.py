"""Reading CSV and TOML files as people really have them (issue #7, item 3).

A CSV saved by Excel on Chinese Windows is GBK / GB18030 ("CSV (逗号分隔)"), UTF-8 with a BOM
("CSV UTF-8") or UTF-16 with a BOM and tabs ("Unicode 文本"). :func:`decode` detects these from the
bytes (standard library only) and, when the bytes fit none of them, raises naming the file, the first
undecodable byte and its line, and the fix. :func:`read_csv` also names the file and line of a ragged
row (a row with more or fewer fields than the header) and of an empty file; Excel's trailing empty
rows (``,,,,``) are dropped.
"""

from __future__ import annotations

import csv
import io
import tomllib
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd

__all__ = ["decode", "read_text", "read_csv", "read_toml"]

_FIX = (
    "save it again as UTF-8 (Excel: File > Save As > 'CSV UTF-8 (逗号分隔)(*.csv)'; or `iconv -f <encoding> -t UTF-8`)"
)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _plausible_gb(text: str) -> bool:
    """GB18030 decodes almost any byte string; a real Chinese file decodes to CJK text. Reject a
    decoding whose non-ASCII characters are mostly private-use, unassigned or control characters
    (a Latin-1 or binary file read as GB18030)."""
    odd = total = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        cat = unicodedata.category(ch)
        if cat in ("Co", "Cn", "Cc", "Cs"):
            odd += 1
    return total == 0 or odd / total < 0.05


def decode(data: bytes, path: str | Path) -> tuple[str, str]:
    """Decoded text and the encoding used: UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-byte
    pattern), else GB18030 (a superset of GBK and GB2312) when the result looks like Chinese text.

    Raises
    ------
    ValueError
        naming ``path``, the first byte that is not UTF-8, its line, and how to fix the file.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    elif len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:4:2] != b"\x00\x00":
        enc = "utf-16-le"  # UTF-16 without BOM: ASCII characters have a NUL high byte
    elif len(data) >= 4 and data[0:4:2] == b"\x00\x00" and data[1:4:2] != b"\x00\x00":
        enc = "utf-16-be"
    else:
        enc = "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        if enc != "utf-8":
            raise ValueError(
                f"{path}: cannot be read as {enc} (byte {data[exc.start]:#04x} at line "
                f"{_line_of(data, exc.start)}); {_FIX}"
            ) from None
        first_bad = exc.start
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is None or not _plausible_gb(text):
            raise ValueError(
                f"{path}: cannot be read: not UTF-8 (byte {data[first_bad]:#04x} at line "
                f"{_line_of(data, first_bad)}) and not GBK/GB18030 Chinese text; {_FIX}"
            ) from None
        enc = "gb18030"
    return cast(str, text).lstrip("\ufeff"), enc  # str: None raised above


def read_text(path: str | Path) -> tuple[str, str]:
    """The decoded text of a file and its encoding (see :func:`decode`)."""
    return decode(Path(path).read_bytes(), path)


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file as a dict; a syntax error names the file, the line and the column."""
    text, _ = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: invalid TOML: {exc}") from None


def read_csv(
    path: str | Path,
    columns: list[str] | None = None,
    *,
    comment: str | None = None,
    label: str | None = None,
    with_lines: bool = False,
    **kwargs: Any,
) -> Any:
    """A CSV file as a DataFrame, whatever Excel encoding it was saved in.

    Parameters
    ----------
    path
        The file.
    columns
        Expected columns, named in the message for an empty file.
    comment
        Lines starting with this character are skipped (like ``pandas.read_csv(comment=...)``, but
        only whole lines).
    label
        How the file is named in messages (default: its name).
    with_lines
        Return ``(frame, lines)``, ``lines`` being the file line of each row (for messages; not kept in
        ``frame.attrs``, which pandas deep-copies on every operation).
    **kwargs
        Passed to :func:`pandas.read_csv` (``dtype``, ``keep_default_na``, ``na_values``).

    Raises
    ------
    ValueError
        The file is empty, has no header, has a ragged row (naming its line and field counts), or is
        in an encoding that cannot be detected.
    """
    name = label or Path(path).name
    text, _ = read_text(path)
    lines = text.splitlines()
    # File line numbers of the header and the data rows (blank and comment lines are skipped, as
    # pandas does), so messages name the line the user sees in an editor.
    if comment is None and lines and lines[0].strip() and "" not in lines:
        numbers: Sequence[int] = range(1, len(lines) + 1)  # fast path: no blank line (whitespace-only lines below)
        kept = lines
    else:
        numbers = [
            i + 1 for i, ln in enumerate(lines) if ln.strip() and not (comment and ln.lstrip().startswith(comment))
        ]
        kept = [lines[n - 1] for n in numbers]
    expect = f"; expected a header line with columns {columns}" if columns else ""
    if not kept:
        raise ValueError(f"{name}: the file is empty{expect}")
    header_line, header = numbers[0], kept[0]
    # Excel's "Unicode text" export is tab-separated: use tabs when the header has no comma.
    sep = "\t" if "\t" in header and "," not in header else ","
    if '"' in text:  # quoted fields may hold separators: count fields properly
        widths = [len(r) for r in csv.reader(kept, delimiter=sep)]
    else:  # fast path (no quoting): count separators
        widths = [ln.count(sep) + 1 for ln in kept]
    width = widths[0]
    if widths.count(width) != len(widths):
        for n, ln, w in zip(numbers, kept, widths):
            if w != width and ln.strip():
                raise ValueError(
                    f"{name}: line {n} has {w} fields but the header (line {header_line}) has "
                    f"{width}: {header.strip()!r}"
                )
        numbers = [n for n, ln in zip(numbers, kept) if ln.strip()]  # whitespace-only lines
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, comment=comment, **kwargs)
    except pd.errors.ParserError as exc:  # pragma: no cover - the width check above comes first
        raise ValueError(f"{name}: {exc}") from None
    df.columns = [str(c).strip() for c in df.columns]
    body_lines = list(numbers[1:])
    if len(body_lines) != len(df):  # pragma: no cover - a quoted field spanning lines
        body_lines = list(range(2, len(df) + 2))
    empty = df.isna().all(axis=1).to_numpy() if len(df.columns) else None
    if empty is not None and empty.any():  # ",,,," rows Excel leaves after the data
        keep = ~empty
        df = df[keep].reset_index(drop=True)
        body_lines = [n for n, k in zip(body_lines, keep) if k]
    return (df, body_lines) if with_lines else df
