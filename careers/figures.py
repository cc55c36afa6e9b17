"""How a figure reads: rounded one way (tidy) and written one way (num).

Plain values, no ORM and no Django. The catalog's pages and the scoring code both need them,
so they sit on the catalog's side, which imports nothing from the scoring app: the scoring code
rounds every figure it works out with tidy (as scoring.tidy), the CSV and JSON exports keep
those rounded numbers as numbers, and every template writes a number with the num filter
(careers_format and report_tags register this same function).
"""

PLACES = 1  # figures are kept to one decimal place


def tidy(number):
    """Round a figure the one way every page shows it: one decimal place; None stays None (not worked out)."""
    if number is None:
        return None
    return round(float(number) + 0.0, PLACES)


def num(value, places=PLACES):
    """A number as every page writes it: rounded to one decimal (or to `places`, for the catalog's
    two-decimal O*NET figures), without trailing zeros; "—" when there is none."""
    if value is None or value == "":
        return "—"
    places = int(places)
    text = f"{round(float(value), places) + 0.0:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
