"""The C++ life-table functions seen from Python, checked against a numpy computation."""

from importlib import resources

import numpy as np
import pandas as pd
import pytest

from wifund import _core


def cl_table(name: str) -> _core.life.LifeTable:
    path = resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv"
    qx = pd.read_csv(path)[name].to_numpy()
    return _core.life.LifeTable(name, 0, list(qx))


@pytest.mark.parametrize("name", ["CL1", "CL2", "CL5", "CL6"])
@pytest.mark.parametrize("age", [0, 40, 60, 90])
def test_annuity_due_matches_numpy(name, age):
    path = resources.files("wifund") / "data" / "life_tables" / "cl2010_2013_qx.csv"
    qx = pd.read_csv(path)[name].to_numpy()[age:]
    kpx = np.concatenate([[1.0], np.cumprod(1 - qx)[:-1]])
    v = 1 / 1.035 ** np.arange(len(kpx))
    assert cl_table(name).annuity_due(age, 0.035) == pytest.approx(float(np.sum(v * kpx)), rel=1e-12)


def test_bad_table_raises_value_error():
    with pytest.raises(ValueError, match="must lie in"):
        _core.life.LifeTable("bad", 0, [0.2, 1.2, 1.0])
