"""Reading an O*NET 29.x release: plain Python, no database.

`read_release(directory)` reads every file the import needs, checks every row, and returns
a `Release` of plain values; any problem raises `OnetError` naming the file, line and column.
Nothing here touches the database, so a bad release can never leave a half-done import.

Files are read by header name, so both layouts of the release are accepted: the official
text edition (no "Title" or "Scale Name" columns in the rating files, "n/a" for empty
cells, padded numbers such as "0.1250") and the copy converted from the Excel edition
(those columns present, empty cells, unpadded numbers).

How O*NET figures become Skillgap figures:

- Importance stays on O*NET's 1-5 scale (rounded to 2 decimals).
- Skills (Skills.txt): the required level is the LV rating rescaled from O*NET's 0-7 scale
  to our 0-4 scale, level * 4 / 7, rounded to 2 decimals and clamped to 0-4.
- Work styles (Work Styles.txt) have an importance but no level. We read importance as
  how much of the trait the job asks for and map it linearly onto our scale:
  level = (importance - 1) * 4 / 4, so 1 (not important) -> 0 and 5 (essential) -> 4.
  With the threshold below the lowest soft level is 1.5.
- A rating is skipped when O*NET marks it Recommend Suppress = Y (too few or too
  inconsistent answers) or Not Relevant = Y; a skill needs both a usable IM and LV row.
- Only requirements with importance >= MIN_IMPORTANCE (2.5, the midpoint of 1-5, between
  "somewhat important" and "important") are kept; below it a skill barely matters to the
  job and would only lengthen the questionnaire.
- Level anchors (Level Scale Anchors.txt, on 0-7) become the examples beside our levels:
  anchor value * 4 / 7 rounded to the nearest whole level (2 -> 1, 4 -> 2, 6 -> 3).
"""

import csv
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from .levels import MAX_LEVEL
from .models import Education

# O*NET's terms of use (CC BY 4.0): every page and format that shows O*NET data carries the
# attribution, and, since we change some of it (a cut-off on importance, levels read at the
# nearest whole level, the most common education category chosen), the modification notice.
ATTRIBUTION = (
    "This product includes information from the O*NET 29.3 Database by the U.S. Department "
    "of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
    "license. O*NET\u00ae is a trademark of USDOL/ETA."
)
MODIFIED = (
    "Skillgap has modified all or some of this information. USDOL/ETA has not approved, "
    "endorsed, or tested these modifications."
)
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
DATABASE_URL = "https://www.onetcenter.org/database.html"


def attribution():
    """The full notice as one plain text (report.json, the PDF, the admin)."""
    return f"{ATTRIBUTION} {MODIFIED} License: {LICENSE_URL}"


MIN_IMPORTANCE = Decimal("2.5")
ONET_MAX_LEVEL = Decimal(7)
MAX_TECHNOLOGIES = 30
# Related Occupations ranks 20 per occupation in three tiers; the two primary tiers (10) are
# the close matches, "Supplemental" ones are loosely related.
RELATED_TIERS = {"Primary-Short", "Primary-Long"}

OCCUPATIONS = "Occupation Data.txt"
SKILLS = "Skills.txt"
WORK_STYLES = "Work Styles.txt"
JOB_ZONES = "Job Zones.txt"
EDUCATION = "Education, Training, and Experience.txt"
CATEGORIES = "Education, Training, and Experience Categories.txt"
ALTERNATE_TITLES = "Alternate Titles.txt"
ANCHORS = "Level Scale Anchors.txt"
RELATED = "Related Occupations.txt"
TECHNOLOGY = "Technology Skills.txt"
CONTENT_MODEL = "Content Model Reference.txt"

CODE = "O*NET-SOC Code"
CODE_PATTERN = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
CENT = Decimal("0.01")

# Required Level of Education categories (RL 1-12) on our Education scale: a career's
# education_required and the credential its education step earns.
RL_EDUCATION = {
    1: Education.NONE,
    2: Education.HIGH_SCHOOL,
    3: Education.CERTIFICATE,
    4: Education.SOME_COLLEGE,
    5: Education.ASSOCIATE,
    6: Education.BACHELOR,
    7: Education.POST_BACCALAUREATE,
    8: Education.MASTER,
    9: Education.POST_MASTER,
    10: Education.DOCTORATE,  # first professional degree
    11: Education.DOCTORATE,
    12: Education.DOCTORATE,  # post-doctoral training
}
# The education, experience and training scales the import turns into next steps.
STEP_SCALES = ("RL", "RW", "PT", "OJ")


class OnetError(Exception):
    """A problem in the release, located by file, line (1 = header) and column."""

    def __init__(self, filename, message, line=None, column=None):
        self.filename, self.line, self.column = filename, line, column
        where = filename
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    description: str


@dataclass(frozen=True)
class Requirement:
    code: str
    element_id: str
    importance: Decimal  # 1-5
    level: Decimal  # 0-4


@dataclass(frozen=True)
class Element:
    element_id: str
    name: str
    kind: str  # "technical" or "soft"


@dataclass(frozen=True)
class Category:
    scale: str
    number: int
    description: str
    months_min: Decimal
    months_max: Decimal

    @property
    def short_name(self):
        """The category without its gloss: "High School Diploma - or the equivalent" -> "High School Diploma"."""
        return self.description.split(" - ")[0].strip()


@dataclass
class Release:
    occupations: dict = field(default_factory=dict)  # code -> Occupation
    elements: dict = field(default_factory=dict)  # element id -> Element
    descriptions: dict = field(default_factory=dict)  # element id -> content-model text
    requirements: list = field(default_factory=list)  # Requirement
    level_examples: dict = field(default_factory=dict)  # element id -> {"1": text, ...}
    job_zones: dict = field(default_factory=dict)  # code -> 1-5
    categories: dict = field(default_factory=dict)  # (scale, number) -> Category
    typical: dict = field(default_factory=dict)  # (code, scale) -> (Category, percent)
    # The same for the answers other than "none" (category 1), for a career where none is typical.
    typical_some: dict = field(default_factory=dict)  # (code, scale) -> (Category, percent)
    alternate_titles: dict = field(default_factory=dict)  # code -> [titles]
    related: dict = field(default_factory=dict)  # code -> [codes]
    technologies: dict = field(default_factory=dict)  # code -> [names], hot ones first
    rows: dict = field(default_factory=dict)  # file name -> data rows read


# -- reading tab-separated files by header name ------------------------------------------


def blank(value):
    return value is None or value.strip().lower() in {"", "n/a"}


def read_table(directory, filename, columns):
    """Yield (line number, {column: value}) for each data row; columns are required."""
    path = Path(directory) / filename
    if not path.is_file():
        raise OnetError(filename, f"file not found in {directory}")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        try:
            yield from _rows(filename, reader, columns)
        except UnicodeDecodeError as error:
            raise OnetError(filename, "is not UTF-8 text", line=first_bad_line(path)) from error


def read_rows(directory, release, filename, columns):
    """read_table's rows, counted into release.rows[filename] once every one has been read."""
    count = 0
    for line, row in read_table(directory, filename, columns):
        count += 1
        yield line, row
    release.rows[filename] = count


def first_bad_line(path):
    """The number of the first line that is not UTF-8 (the decoder reads ahead in blocks)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _rows(filename, reader, columns):
    header = next(reader, None)
    if header is None:
        raise OnetError(filename, "file is empty; expected a header row", line=1)
    positions = {name.strip().lower(): index for index, name in enumerate(header)}
    wanted = {}
    for column in columns:
        if column.lower() not in positions:
            raise OnetError(filename, "column missing from the header row", line=1, column=column)
        wanted[column] = positions[column.lower()]
    for cells in reader:
        if not cells or cells == [""]:
            continue
        row = {}
        for column, index in wanted.items():
            if index >= len(cells):
                raise OnetError(
                    filename, f"row has {len(cells)} cells, the header has {len(header)}",
                    line=reader.line_num, column=column,
                )
            row[column] = cells[index].strip()
        yield reader.line_num, row


def read_optional_column(directory, filename, column):
    """Whether a file's header has a column the import can do without."""
    path = Path(directory) / filename
    if not path.is_file():
        return False  # read_table reports the missing file
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
    return column.lower() in {name.strip().lower() for name in header}


def number(filename, line, column, value, low, high):
    """A Decimal in [low, high] from a cell such as "4.12" or "4.1200"."""
    try:
        result = Decimal(value)
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise OnetError(filename, f"'{value}' is not a number", line=line, column=column)
    if not low <= result <= high:
        raise OnetError(filename, f"{value} is outside {low}-{high}", line=line, column=column)
    return result


def whole(filename, line, column, value, low, high):
    result = number(filename, line, column, value, low, high)
    if result != result.to_integral_value():
        raise OnetError(filename, f"'{value}' is not a whole number", line=line, column=column)
    return int(result)


def flag(filename, line, column, value):
    """A Y/N cell; empty and n/a mean no."""
    if blank(value):
        return False
    if value.upper() not in {"Y", "N"}:
        raise OnetError(filename, f"'{value}' should be Y or N", line=line, column=column)
    return value.upper() == "Y"


def text(filename, line, column, value, max_length=None):
    if blank(value):
        raise OnetError(filename, "empty cell", line=line, column=column)
    if max_length and len(value) > max_length:
        raise OnetError(filename, f"longer than {max_length} characters", line=line, column=column)
    return value


# -- figures --------------------------------------------------------------------------------


def cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def rescale_level(onet_level):
    """An O*NET level (0-7) on our 0-4 scale."""
    level = cents(Decimal(onet_level) * MAX_LEVEL / ONET_MAX_LEVEL)
    return min(max(level, Decimal(0)), Decimal(MAX_LEVEL))


def soft_level(importance):
    """The level a work style asks for, from its importance: 1-5 maps linearly onto 0-4."""
    level = cents((Decimal(importance) - 1) * MAX_LEVEL / 4)
    return min(max(level, Decimal(0)), Decimal(MAX_LEVEL))


def anchor_level(anchor_value):
    """The whole level on our scale nearest to an O*NET anchor value (0-7)."""
    return int((Decimal(anchor_value) * MAX_LEVEL / ONET_MAX_LEVEL).to_integral_value(ROUND_HALF_UP))


MONTHS_PER = {"month": 1, "year": 12}
DURATION = re.compile(r"(\d+)\s+(month|year)s?", re.IGNORECASE)


def months(description):
    """(min, max) months from a category such as "Over 1 month, up to and including 3 months".

    "None" is (0, 0); "Up to and including 1 month" is (0, 1); an open-ended "Over 10 years"
    is (120, 120), read as "at least". None when the text names no duration.
    """
    durations = [Decimal(int(n) * MONTHS_PER[unit.lower()]) for n, unit in DURATION.findall(description)]
    lowered = description.lower()
    if not durations:
        return (Decimal(0), Decimal(0)) if lowered.startswith("none") else None
    if lowered.startswith("over") and len(durations) == 1:
        return durations[0], durations[0]
    if lowered.startswith("over"):
        return durations[0], durations[1]
    return Decimal(0), durations[-1]


# -- the files ------------------------------------------------------------------------------


def read_release(directory, progress=None):
    """Read and check every file; return a Release or raise OnetError.

    progress, if given, is called with (file name, rows read) after each file.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise OnetError(str(directory), "not a directory")
    release = Release()
    readers = [
        (OCCUPATIONS, read_occupations),
        (CONTENT_MODEL, read_content_model),
        (SKILLS, lambda d, r: read_ratings(d, r, SKILLS, "technical")),
        (WORK_STYLES, lambda d, r: read_ratings(d, r, WORK_STYLES, "soft")),
        (ANCHORS, read_anchors),
        (JOB_ZONES, read_job_zones),
        (CATEGORIES, read_categories),
        (EDUCATION, read_education),
        (ALTERNATE_TITLES, read_alternate_titles),
        (RELATED, read_related),
        (TECHNOLOGY, read_technologies),
    ]
    for filename, reader in readers:
        reader(directory, release)
        if progress:
            progress(filename, release.rows[filename])
    return release


def occupation_code(release, filename, line, value, column=CODE):
    if value not in release.occupations:
        raise OnetError(filename, f"unknown occupation code '{value}'", line=line, column=column)
    return value


def read_occupations(directory, release):
    for line, row in read_rows(directory, release, OCCUPATIONS, [CODE, "Title", "Description"]):
        code = row[CODE]
        if not CODE_PATTERN.match(code):
            raise OnetError(OCCUPATIONS, f"'{code}' is not an O*NET-SOC code", line=line, column=CODE)
        if code in release.occupations:
            raise OnetError(OCCUPATIONS, f"occupation '{code}' appears twice", line=line, column=CODE)
        release.occupations[code] = Occupation(
            code=code,
            title=text(OCCUPATIONS, line, "Title", row["Title"], max_length=200),
            description="" if blank(row["Description"]) else row["Description"],
        )


def read_content_model(directory, release):
    for _line, row in read_rows(directory, release, CONTENT_MODEL, ["Element ID", "Element Name", "Description"]):
        if not blank(row["Description"]):
            release.descriptions[row["Element ID"]] = row["Description"]


def read_ratings(directory, release, filename, kind):
    """Skills.txt (IM and LV rows) or Work Styles.txt (IM rows) into requirements."""
    columns = [CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "Recommend Suppress"]
    # Skills.txt must say which ratings are not relevant; Work Styles.txt has no such column.
    has_not_relevant = kind == "technical" or read_optional_column(directory, filename, "Not Relevant")
    if has_not_relevant:
        columns.append("Not Relevant")
    scales = {"IM", "LV"} if kind == "technical" else {"IM"}
    ranges = {"IM": (1, 5), "LV": (0, 7)}
    ratings = {}  # (code, element id, scale) -> value, or None when skipped
    for line, row in read_rows(directory, release, filename, columns):
        scale = row["Scale ID"]
        if scale not in scales:
            continue
        code = occupation_code(release, filename, line, row[CODE])
        element_id = text(filename, line, "Element ID", row["Element ID"], max_length=40)
        name = text(filename, line, "Element Name", row["Element Name"], max_length=200)
        known = release.elements.get(element_id)
        if known is None:
            release.elements[element_id] = Element(element_id, name, kind)
        elif known.name != name or known.kind != kind:
            raise OnetError(
                filename, f"element {element_id} is called '{known.name}' elsewhere",
                line=line, column="Element Name",
            )
        key = (code, element_id, scale)
        if key in ratings:
            raise OnetError(filename, f"a second {scale} row for {code} {element_id}", line=line, column="Scale ID")
        low, high = ranges[scale]
        value = number(filename, line, "Data Value", row["Data Value"], low, high)
        skipped = flag(filename, line, "Recommend Suppress", row["Recommend Suppress"])
        if has_not_relevant:
            skipped = flag(filename, line, "Not Relevant", row["Not Relevant"]) or skipped
        ratings[key] = None if skipped else value

    for (code, element_id, scale), importance in ratings.items():
        if scale != "IM" or importance is None:
            continue
        importance = cents(importance)
        if importance < MIN_IMPORTANCE:
            continue
        if kind == "technical":
            onet_level = ratings.get((code, element_id, "LV"))
            if onet_level is None:
                continue
            level = rescale_level(onet_level)
        else:
            level = soft_level(importance)
        release.requirements.append(Requirement(code, element_id, importance, level))


def read_anchors(directory, release):
    columns = ["Element ID", "Scale ID", "Anchor Value", "Anchor Description"]
    for line, row in read_rows(directory, release, ANCHORS, columns):
        if row["Scale ID"] != "LV" or row["Element ID"] not in release.elements:
            continue  # anchors for abilities and knowledge, which the import does not use
        value = number(ANCHORS, line, "Anchor Value", row["Anchor Value"], 0, 7)
        description = text(ANCHORS, line, "Anchor Description", row["Anchor Description"])
        examples = release.level_examples.setdefault(row["Element ID"], {})
        level = str(anchor_level(value))
        examples[level] = f"{examples[level]}; {description}" if level in examples else description


def read_job_zones(directory, release):
    for line, row in read_rows(directory, release, JOB_ZONES, [CODE, "Job Zone"]):
        code = occupation_code(release, JOB_ZONES, line, row[CODE])
        release.job_zones[code] = whole(JOB_ZONES, line, "Job Zone", row["Job Zone"], 1, 5)


def read_categories(directory, release):
    for line, row in read_rows(directory, release, CATEGORIES, ["Scale ID", "Category", "Category Description"]):
        scale = row["Scale ID"]
        if scale not in STEP_SCALES:
            continue
        category_number = whole(CATEGORIES, line, "Category", row["Category"], 1, 99)
        description = text(CATEGORIES, line, "Category Description", row["Category Description"])
        if scale == "RL":
            if category_number not in RL_EDUCATION:
                raise OnetError(
                    CATEGORIES, f"unknown education category {category_number}", line=line, column="Category"
                )
            span = (Decimal(0), Decimal(0))  # O*NET says which credential, not how long it takes
        else:
            span = months(description)
            if span is None:
                raise OnetError(
                    CATEGORIES, f"no duration in '{description}'", line=line, column="Category Description"
                )
        release.categories[(scale, category_number)] = Category(scale, category_number, description, *span)
    for scale in STEP_SCALES:
        if not any(key[0] == scale for key in release.categories):
            raise OnetError(CATEGORIES, f"no categories for scale {scale}", column="Scale ID")


def read_education(directory, release):
    """Keep, per occupation and scale, the category most respondents chose, and the one most
    chose of the categories other than "none" (1)."""
    columns = [CODE, "Scale ID", "Category", "Data Value", "Recommend Suppress"]
    for line, row in read_rows(directory, release, EDUCATION, columns):
        scale = row["Scale ID"]
        if scale not in STEP_SCALES:
            continue
        code = occupation_code(release, EDUCATION, line, row[CODE])
        category_number = whole(EDUCATION, line, "Category", row["Category"], 1, 99)
        category = release.categories.get((scale, category_number))
        if category is None:
            raise OnetError(
                EDUCATION, f"category {category_number} of scale {scale} is not in {CATEGORIES}",
                line=line, column="Category",
            )
        percent = number(EDUCATION, line, "Data Value", row["Data Value"], 0, 100)
        if flag(EDUCATION, line, "Recommend Suppress", row["Recommend Suppress"]):
            continue
        for kept in (release.typical, release.typical_some) if category_number != 1 else (release.typical,):
            best = kept.get((code, scale))
            # Ties go to the lower category, so the result does not depend on row order.
            if best is None or (percent, -category_number) > (best[1], -best[0].number):
                kept[(code, scale)] = (category, percent)


def read_alternate_titles(directory, release):
    for line, row in read_rows(directory, release, ALTERNATE_TITLES, [CODE, "Alternate Title"]):
        code = occupation_code(release, ALTERNATE_TITLES, line, row[CODE])
        title = text(ALTERNATE_TITLES, line, "Alternate Title", row["Alternate Title"], max_length=250)
        titles = release.alternate_titles.setdefault(code, [])
        if title not in titles:
            titles.append(title)


def read_related(directory, release):
    related_column = "Related O*NET-SOC Code"
    for line, row in read_rows(directory, release, RELATED, [CODE, related_column, "Relatedness Tier"]):
        code = occupation_code(release, RELATED, line, row[CODE])
        other = occupation_code(release, RELATED, line, row[related_column], column=related_column)
        if row["Relatedness Tier"] in RELATED_TIERS and other != code:
            codes = release.related.setdefault(code, [])
            if other not in codes:
                codes.append(other)


def read_technologies(directory, release):
    has_hot = read_optional_column(directory, TECHNOLOGY, "Hot Technology")
    columns = [CODE, "Example"] + (["Hot Technology"] if has_hot else [])
    found = {}  # code -> {name: hot}
    for line, row in read_rows(directory, release, TECHNOLOGY, columns):
        code = occupation_code(release, TECHNOLOGY, line, row[CODE])
        name = text(TECHNOLOGY, line, "Example", row["Example"])
        hot = has_hot and flag(TECHNOLOGY, line, "Hot Technology", row["Hot Technology"])
        names = found.setdefault(code, {})
        names[name] = names.get(name, False) or hot
    for code, names in found.items():
        ordered = sorted(names, key=lambda name: (not names[name], name.casefold(), name))
        release.technologies[code] = ordered[:MAX_TECHNOLOGIES]
