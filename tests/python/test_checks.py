"""wifund._checks and wifund._csv: the shared checks return the value or name field, place and value."""

import numpy as np
import pytest

from wifund import _checks as C
from wifund._csv import decode


def test_check_int_returns_plain_int_and_rejects_bool_and_float():
    assert C.check_int("n", np.int64(5), 1, 10) == 5 and type(C.check_int("n", np.int64(5))) is int
    with pytest.raises(C.InputTypeError, match=r"n = True: must be an integer, not bool"):
        C.check_int("n", True)
    with pytest.raises(TypeError, match=r"n = 2.5"):
        C.check_int("n", 2.5)
    with pytest.raises(ValueError, match=r"n for city 'X' = 0: must be an integer from 1 to 10"):
        C.check_int("n", 0, 1, 10, where="for city 'X'")


def test_input_type_error_is_also_a_value_error():
    assert issubclass(C.InputTypeError, TypeError) and issubclass(C.InputTypeError, ValueError)


def test_check_number_finite_and_range():
    assert C.check_fraction("f", np.float64(0.5)) == 0.5
    for bad, msg in [(float("nan"), "finite"), (float("inf"), "finite"), (1.5, r"\[0, 1\]"), ("0.1", "not str")]:
        with pytest.raises(ValueError, match=msg):
            C.check_fraction("f", bad)
    with pytest.raises(ValueError, match=r"w = 0: must be > 0"):
        C.check_number("w", 0, 0, lo_open=True)


def test_check_pair_ordered_choice_and_keys():
    assert C.check_pair_ordered("clamp", [0.6, 3.0]) == (0.6, 3.0)
    with pytest.raises(ValueError, match=r"clamp = \[3.0, 0.6\]: must be an ordered pair \(low <= high\)"):
        C.check_pair_ordered("clamp", [3.0, 0.6])
    with pytest.raises(ValueError, match=r"list of 2 values, got 3"):
        C.check_pair_ordered("clamp", [1, 2, 3])
    with pytest.raises(ValueError, match=r"level = 'ful': must be one of .*did you mean 'full'"):
        C.check_choice("level", "ful", ["full", "major", "partial"])
    with pytest.raises(ValueError, match=r"unknown key 'opening_balanse'; did you mean 'opening_balance'"):
        C.check_keys("fund", ["opening_balanse"], ["opening_balance", "opening_reserve"])


def test_check_array_names_first_bad_element():
    arr = np.array([[0.1, 0.2], [0.3, np.nan]])
    with pytest.raises(ValueError, match=r"rate for city 'B' in 2026 = nan"):
        C.check_array("rate", arr, 0, 1, label=lambda i: f"for city {'AB'[i[0]]!r} in {2025 + i[1]}")
    assert C.check_array("rate", arr, 0, 1, allow_nan=True).shape == (2, 2)
    with pytest.raises(C.InputTypeError, match="booleans"):
        C.check_array("rate", [True, False])
    assert C.check_shares("p", [0.5, 0.5], 2) == [0.5, 0.5]
    with pytest.raises(ValueError, match=r"sum to 1 \(they sum to 0.9\)"):
        C.check_shares("p", [0.5, 0.4])


@pytest.mark.parametrize(
    "encoding,name",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
    ],
)
def test_decode_detects_excel_encodings(encoding, name):
    text = "city,rate\n长春市,0.9\n"
    assert decode(text.encode(encoding), "x.csv") == (text, name)


def test_decode_rejects_latin1_with_the_fix():
    with pytest.raises(ValueError, match=r"x.csv: cannot be read: not UTF-8 \(byte 0x80 at line 2\).*CSV UTF-8"):
        decode(b"city\nZ" + b"\x80\xff\n", "x.csv")
