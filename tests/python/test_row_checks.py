"""The beneficiary rows' checks (python/wifund/province.py, issue #11 performance: checked per distinct
value) name the right file line when the bad cell is on a later row of a kind or of the rows that give an
optional column (the line of the row in the file, not its position among those rows)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import wifund


def _folder(tmp_path: Path, edit: dict[str, object], kind: str, nth: int) -> tuple[Path, int]:
    """The demo province written to ``tmp_path`` with the ``nth`` row of ``kind`` edited; its file line."""
    folder = wifund.Province.demo().to_dir(tmp_path / "p")
    path = folder / "beneficiaries.csv"
    ben = pd.read_csv(path, dtype=str, keep_default_na=False)
    i = ben.index[ben["kind"] == kind][nth]
    for column, value in edit.items():
        if column not in ben.columns:
            ben[column] = ""
        ben.loc[i, column] = str(value)
    ben.to_csv(path, index=False)
    return folder, int(i) + 2  # the header is line 1


@pytest.mark.parametrize(
    ("edit", "kind", "column", "message"),
    [
        ({"care_level": "huge"}, "care", "care_level", "'huge' must be one of"),
        ({"birth_month": 13}, "spouse", "birth_month", "value 13 must be <= 12"),
        ({"own_wage": -5}, "allowance", "own_wage", "value -5 must be > 0"),
        ({"grade": 7}, "allowance", "grade", "must be a disability grade 1..4"),
    ],
    ids=["care_level", "birth_month", "own_wage", "grade"],
)
def test_bad_cell_names_its_file_line(
    tmp_path: Path, edit: dict[str, object], kind: str, column: str, message: str
) -> None:
    folder, line = _folder(tmp_path, edit, kind, nth=5)
    assert line > 7  # not the sixth line of the file: a position among the rows of the kind would differ
    with pytest.raises(ValueError, match=rf"beneficiaries.csv: column '{column}' .*\(row {line}\).*{message}"):
        wifund.Province.from_dir(folder)
