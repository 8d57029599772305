"""Spreadsheet cells that are safe to open (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula, so a name typed as ``=HYPERLINK(...)`` in a form would become a live
link in the officer's export. Every text cell that leaves the system in a CSV or XLSX file goes
through :func:`neutralise`, which puts an apostrophe in front: the spreadsheet then shows the text
as typed. Numbers, dates and booleans are left alone: they are written as typed cells, never parsed.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value, with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
