import pytest

from apps.core.cellsafety import neutralise


@pytest.mark.parametrize("text", ["=1+1", "+62812", "-5", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Siti Aminah", "", "3273014101990001", 5, -5, 4.5, None, True])
def test_other_values_are_left_as_they_are(value):
    assert neutralise(value) == value
