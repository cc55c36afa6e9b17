"""Reading an O*NET 29.x release: plain Python, no database.

`read_release(directory)` reads every file the import needs, checks every row, and returns
a `Release` of plain values; any problem raises `OnetError` naming the file, line and column.
Nothing here touches the database, so a bad release can never leave a half-done import.

Files are read by header name, so both layouts of the release are accepted: the official
text edition (no "Title" or "Scale Name" columns in the rating files, "n/a" for empty
cells, padded numbers such as "0.1250") and the copy converted from the Excel edition
(those columns present, empty cells, unpadded numbers).

How O*NET figures become Skillgap figures (nothing is rescaled):

- Skills (Skills.txt) and knowledge (Knowledge.txt) follow the same rules. A requirement's
  importance is O*NET's IM rating (1-5) and its level O*NET's LV rating on O*NET's own 0-7
  level scale (scale_max 7), both to two decimals as O*NET gives them. A rating is skipped
  when O*NET marks it Recommend Suppress = Y (too few or too inconsistent answers) or Not
  Relevant = Y; an element needs both a usable IM and a usable LV row.
- Which requirements a career asks about (and so imports and scores): those with importance
  of at least MIN_IMPORTANCE, 3.0, O*NET's "Important", and at most MAX_ASKED, 40, per
  career, the most important first (ties: the higher level, then the element id), skills
  and knowledge together. On O*NET 29.3 this leaves 878 careers with requirements: a median
  of 23 asked items and a maximum of 42 before the cap, which shortens 4 careers to 40 and
  touches no other (bench/questionnaire_lengths.py prints the distribution).
- Each element is its own skill, kept apart from the guide's skills and found by its element
  id: "Mathematics" the skill (2.A.1.e) and "Mathematics" the knowledge area (2.C.4.a) are two.
  Its kind follows O*NET's content model: 2.C.* is knowledge, 2.B.1.* (Social Skills) soft,
  1.C.* a work style, every other skill technical; its category is the name that the Content
  Model Reference gives the element's category (Basic Skills, Social Skills, ... Knowledge,
  Work Styles), and its description that file's own text.
- Level examples are O*NET's LV anchors (Level Scale Anchors.txt) keyed by their own value
  on 0-7 ("2", "4", "6" for every skill; a few knowledge areas have anchors at odd values),
  two anchors at the same value joined with "; ".
- Work styles (Work Styles.txt) are rated for importance only. Every usable IM row (not
  Recommend Suppress) becomes a WorkStyle: shown as what the career values, never given a
  level, never asked and never scored.
- Typical education, experience and training (Education, Training, and Experience.txt): the
  category with the largest share over all of an occupation's rows, those marked Recommend
  Suppress included (ties go to the lower category), so the figure is O*NET's own modal
  category; when that row is marked Recommend Suppress the figure is flagged uncertain
  (Typical.uncertain) and the page says so, rather than another category being picked.
"""

import csv
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from .levels import ONET_MAX_LEVEL
from .models import Education, Skill

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


# Which requirements are asked (see the module docstring): importance of at least 3.0, O*NET's
# "Important", and at most 40 per career, the most important first.
MIN_IMPORTANCE = Decimal("3.0")
MAX_ASKED = 40
MAX_TECHNOLOGIES = 30
# Related Occupations ranks 20 per occupation in three tiers; the two primary tiers (10) are
# the close matches, "Supplemental" ones are loosely related.
RELATED_TIERS = {"Primary-Short", "Primary-Long"}

OCCUPATIONS = "Occupation Data.txt"
SKILLS = "Skills.txt"
KNOWLEDGE = "Knowledge.txt"
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

# The content model's categories that name an element's category, most specific first: an
# element takes the name of the first one its id falls under (2.A.1.a -> 2.A "Basic Skills").
# Only the ids are ours; the names come from the Content Model Reference.
CATEGORY_IDS = ("2.B.1", "2.B.2", "2.B.3", "2.B.4", "2.B.5", "2.A", "2.C", "1.C")
# Which elements each rating file may rate, by the content-model branch they sit in.
FILE_BRANCHES = {SKILLS: ("2.A", "2.B"), KNOWLEDGE: ("2.C",), WORK_STYLES: ("1.C",)}


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
    """A skill or knowledge area an occupation asks for, on O*NET's own scales."""

    code: str
    element_id: str
    importance: Decimal  # 1-5
    level: Decimal  # 0-7 (ONET_MAX_LEVEL)


@dataclass(frozen=True)
class WorkStyleRating:
    """How important a work style is to an occupation: O*NET rates work styles for importance only."""

    code: str
    element_id: str
    importance: Decimal  # 1-5


@dataclass(frozen=True)
class Element:
    element_id: str
    name: str
    kind: str  # a Skill.Kind: technical, soft, knowledge or style
    category: str  # the Content Model Reference's name for its category ("Basic Skills", ...)
    description: str  # the Content Model Reference's description of the element, or ""


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


@dataclass(frozen=True)
class Typical:
    """The most common answer on one scale for one occupation."""

    category: Category
    percent: Decimal  # its share of respondents, 0-100
    uncertain: bool  # O*NET marks that share Recommend Suppress


@dataclass
class Release:
    occupations: dict = field(default_factory=dict)  # code -> Occupation
    elements: dict = field(default_factory=dict)  # element id -> Element
    content_model: dict = field(default_factory=dict)  # element id -> (name, description)
    # Every usable skill and knowledge rating (the candidates), then the ones asked (see select).
    rated: list = field(default_factory=list)  # Requirement
    requirements: list = field(default_factory=list)  # Requirement
    work_styles: list = field(default_factory=list)  # WorkStyleRating
    level_examples: dict = field(default_factory=dict)  # element id -> {"2": text, ...}
    job_zones: dict = field(default_factory=dict)  # code -> 1-5
    categories: dict = field(default_factory=dict)  # (scale, number) -> Category
    typical: dict = field(default_factory=dict)  # (code, scale) -> Typical
    # The same for the answers other than "none" (category 1), for a career where none is typical.
    typical_some: dict = field(default_factory=dict)  # (code, scale) -> Typical
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


def anchor_key(anchor_value):
    """An anchor's key among a skill's level examples: its own value on 0-7, "2" for 2.0000."""
    value = Decimal(anchor_value)
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def kind_of(element_id):
    """The Skill.Kind of a content-model element."""
    if element_id.startswith("1.C."):
        return Skill.Kind.STYLE
    if element_id.startswith("2.C."):
        return Skill.Kind.KNOWLEDGE
    if element_id.startswith("2.B.1."):
        return Skill.Kind.SOFT  # O*NET's Social Skills
    return Skill.Kind.TECHNICAL


def category_id(element_id):
    """The id of the category an element's page shows (CATEGORY_IDS), or None."""
    return next((c for c in CATEGORY_IDS if element_id.startswith(c + ".")), None)


def asked(rated):
    """The requirements a career asks about, from all its usable ratings: importance of at least
    MIN_IMPORTANCE, the most important first (ties: higher level, then element id), MAX_ASKED at most."""
    kept = [r for r in rated if r.importance >= MIN_IMPORTANCE]
    kept.sort(key=lambda r: (-r.importance, -r.level, r.element_id))
    return kept[:MAX_ASKED]


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
        (SKILLS, lambda d, r: read_ratings(d, r, SKILLS)),
        (KNOWLEDGE, lambda d, r: read_ratings(d, r, KNOWLEDGE)),
        (WORK_STYLES, read_work_styles),
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
    select(release)
    return release


def select(release):
    """release.requirements: what each career asks about (asked), skills and knowledge together."""
    by_code = {}
    for requirement in release.rated:
        by_code.setdefault(requirement.code, []).append(requirement)
    release.requirements = [r for code in sorted(by_code) for r in asked(by_code[code])]


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
    for line, row in read_rows(directory, release, CONTENT_MODEL, ["Element ID", "Element Name", "Description"]):
        element_id = text(CONTENT_MODEL, line, "Element ID", row["Element ID"], max_length=40)
        name = text(CONTENT_MODEL, line, "Element Name", row["Element Name"], max_length=200)
        release.content_model[element_id] = (name, "" if blank(row["Description"]) else row["Description"])


def element(release, filename, line, row, checked):
    """The Element a rating row names, checked against the file's branch and the content model.

    checked ({(element id, name): Element}, one per file) skips the checks for a pair seen before.
    """
    found = checked.get((row["Element ID"], row["Element Name"]))
    if found is not None:
        return found
    element_id = text(filename, line, "Element ID", row["Element ID"], max_length=40)
    name = text(filename, line, "Element Name", row["Element Name"], max_length=200)
    if not any(element_id.startswith(branch + ".") for branch in FILE_BRANCHES[filename]):
        branches = " or ".join(FILE_BRANCHES[filename])
        raise OnetError(filename, f"element {element_id} is not under {branches}", line=line, column="Element ID")
    known = release.elements.get(element_id)
    if known is not None:
        if known.name != name:
            raise OnetError(
                filename, f"element {element_id} is called '{known.name}' elsewhere", line=line, column="Element Name"
            )
        checked[(element_id, name)] = known
        return known
    category = category_id(element_id)
    if category not in release.content_model:
        raise OnetError(
            filename, f"the category of element {element_id} is not in {CONTENT_MODEL}", line=line, column="Element ID"
        )
    description = release.content_model.get(element_id, ("", ""))[1]
    found = Element(element_id, name, kind_of(element_id), release.content_model[category][0], description)
    release.elements[element_id] = checked[(element_id, name)] = found
    return found


def read_ratings(directory, release, filename):
    """Skills.txt or Knowledge.txt: every element with a usable IM and LV row into release.rated."""
    columns = [CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "Recommend Suppress", "Not Relevant"]
    ranges = {"IM": (1, 5), "LV": (0, ONET_MAX_LEVEL)}
    ratings = {}  # (code, element id, scale) -> value, or None when skipped
    checked = {}
    for line, row in read_rows(directory, release, filename, columns):
        scale = row["Scale ID"]
        if scale not in ranges:
            continue
        code = occupation_code(release, filename, line, row[CODE])
        element_id = element(release, filename, line, row, checked).element_id
        key = (code, element_id, scale)
        if key in ratings:
            raise OnetError(filename, f"a second {scale} row for {code} {element_id}", line=line, column="Scale ID")
        value = number(filename, line, "Data Value", row["Data Value"], *ranges[scale])
        suppressed = flag(filename, line, "Recommend Suppress", row["Recommend Suppress"])
        not_relevant = flag(filename, line, "Not Relevant", row["Not Relevant"])
        ratings[key] = None if suppressed or not_relevant else value

    for (code, element_id, scale), importance in ratings.items():
        if scale != "IM" or importance is None:
            continue
        level = ratings.get((code, element_id, "LV"))
        if level is None:
            continue
        release.rated.append(Requirement(code, element_id, cents(importance), cents(level)))


def read_work_styles(directory, release):
    """Work Styles.txt: every usable importance (IM) row into release.work_styles."""
    columns = [CODE, "Element ID", "Element Name", "Scale ID", "Data Value", "Recommend Suppress"]
    seen, checked = set(), {}
    for line, row in read_rows(directory, release, WORK_STYLES, columns):
        if row["Scale ID"] != "IM":
            continue
        code = occupation_code(release, WORK_STYLES, line, row[CODE])
        element_id = element(release, WORK_STYLES, line, row, checked).element_id
        if (code, element_id) in seen:
            raise OnetError(WORK_STYLES, f"a second IM row for {code} {element_id}", line=line, column="Scale ID")
        seen.add((code, element_id))
        importance = number(WORK_STYLES, line, "Data Value", row["Data Value"], 1, 5)
        if not flag(WORK_STYLES, line, "Recommend Suppress", row["Recommend Suppress"]):
            release.work_styles.append(WorkStyleRating(code, element_id, cents(importance)))


def read_anchors(directory, release):
    columns = ["Element ID", "Scale ID", "Anchor Value", "Anchor Description"]
    for line, row in read_rows(directory, release, ANCHORS, columns):
        known = release.elements.get(row["Element ID"])
        if row["Scale ID"] != "LV" or known is None or known.kind == Skill.Kind.STYLE:
            continue  # anchors for abilities and work activities, which the import does not use
        value = number(ANCHORS, line, "Anchor Value", row["Anchor Value"], 0, ONET_MAX_LEVEL)
        description = text(ANCHORS, line, "Anchor Description", row["Anchor Description"])
        examples = release.level_examples.setdefault(known.element_id, {})
        key = anchor_key(value)
        examples[key] = f"{examples[key]}; {description}" if key in examples else description


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
    """Keep, per occupation and scale, the category most respondents chose over all its rows,
    and the one most chose of the categories other than "none" (1).

    Rows marked Recommend Suppress count: O*NET's modal category is the largest share of the
    whole distribution, and dropping a suppressed row would pick another category O*NET never
    called typical. Such a result is kept, flagged uncertain.
    """
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
        found = Typical(category, percent, flag(EDUCATION, line, "Recommend Suppress", row["Recommend Suppress"]))
        for kept in (release.typical, release.typical_some) if category_number != 1 else (release.typical,):
            best = kept.get((code, scale))
            # Ties go to the lower category, so the result does not depend on row order.
            if best is None or (percent, -category_number) > (best.percent, -best.category.number):
                kept[(code, scale)] = found


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
