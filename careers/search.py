"""Ranking career search results: which of the names a career is known by matches best.

Pure functions over plain values; CareerQuerySet.ranked_search reads the names from the
database (a career's title and its O*NET alternate titles) and calls rank().

Words are compared singular to singular ("nurse" finds "Registered Nurses" as a word, and
"mechanic" does not find "Mechanical Engineers" as one), in these tiers, best first:

0. the title is the query: "cashier" and Cashiers;
1. the title starts with the query, or an alternate title is the query: the person typed a
   name O*NET knows the job by, as strong a sign as a title that starts with their words
   (Registered Nurses is also called "Nurse", as Nurse Midwives start with it);
2. an alternate title starts with the query: "forklift" and "Forklift Driver";
3. a title or alternate title contains the text anywhere.

Within a tier: the guide's careers first (their pages say the most), then careers whose title
holds the query's words, then careers with more names that match (Registered Nurses has 99
names with "nurse", Nurse Midwives far fewer), then, among partial matches, the names closest
to the query (trigram similarity on PostgreSQL, difflib's ratio elsewhere), then by title.
"""

import difflib
import re
from dataclasses import dataclass

EXACT_TITLE, NAMED, ALTERNATE_LEADING, PARTIAL = range(4)
# Words shorter than this match whole words only ("IT", not every name with an "it" inside).
MIN_FRAGMENT = 3
MAX_WORDS = 8
WORD = re.compile(r"[^\W_]+")


def stem(word):
    """A word in the singular, roughly: enough to compare "Nurses" with "nurse"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text):
    return [stem(word) for word in WORD.findall(text.casefold())]


def fragments(text):
    """What a name must contain to be a candidate: each word's singular root (at most MAX_WORDS).

    "secretaries" looks for "secretar", which "Secretary" and "Secretaries" both contain.
    Returns (fragment, whole_word_only) pairs.
    """
    found = []
    for word in words(text)[:MAX_WORDS]:
        root = word[:-1] if len(word) > 4 and word.endswith("y") else word
        found.append((root, len(root) < MIN_FRAGMENT))
    return found


@dataclass
class Match:
    career_id: int
    title: str
    slug: str
    guide: bool
    tier: int = PARTIAL
    # The alternate title that matched, when it matched better than the title itself.
    also_called: str = ""
    names: int = 0
    similarity: float = 0.0
    title_has_words: bool = False

    def key(self):
        return (self.tier, not self.guide, not self.title_has_words, -self.names,
                -self.similarity, self.title.casefold(), self.career_id)


def name_tier(query_words, name_words, is_alternate):
    if name_words == query_words:
        return NAMED if is_alternate else EXACT_TITLE
    if name_words[:len(query_words)] == query_words:
        return ALTERNATE_LEADING if is_alternate else NAMED
    return PARTIAL


def containing(text, rows):
    """The rows whose name holds every fragment of text, as the database's search would find them."""
    needed = fragments(text)
    return [row for row in rows if all(fragment in row[1].casefold() for fragment, _ in needed)]


def rank(text, rows):
    """Rank the careers behind rows of names, best first.

    rows: (career_id, name, is_alternate, career_title, career_slug, is_guide, similarity)
    for every name that contains the query's fragments; similarity is the database's trigram
    similarity of name and query, or None where it has none (difflib's ratio stands in).
    """
    query_words = words(text)[:MAX_WORDS]
    wanted = set(query_words)
    # A short word is found as a word ("IT", not "Item"); the database found every name with a
    # word starting with it.
    whole_words = {fragment for fragment, whole_word in fragments(text) if whole_word}
    matches, title_tiers, best_alternates, measured = {}, {}, {}, set()
    for career_id, name, is_alternate, title, slug, guide, similarity in rows:
        name_words = words(name)
        if whole_words and not whole_words <= set(name_words):
            continue
        match = matches.get(career_id)
        if match is None:
            match = matches[career_id] = Match(career_id, title, slug, guide)
        match.names += 1
        tier = name_tier(query_words, name_words, is_alternate)
        if similarity is not None:
            match.similarity = max(match.similarity, similarity)
            measured.add(career_id)
        if not is_alternate:
            title_tiers[career_id] = tier
            match.title_has_words = wanted <= set(name_words)
            continue
        # The alternate title to show: the best tier, then the closest (or, without trigrams,
        # the shortest) name.
        closeness = -similarity if similarity is not None else len(name)
        best = best_alternates.get(career_id)
        if best is None or (tier, closeness) < best[:2]:
            best_alternates[career_id] = (tier, closeness, name)
    query = " ".join(query_words)
    for career_id, match in matches.items():
        title_tier = title_tiers.get(career_id, PARTIAL + 1)
        alternate_tier, _, alternate = best_alternates.get(career_id, (PARTIAL + 1, 0, ""))
        match.tier = min(title_tier, alternate_tier)
        if alternate_tier < title_tier:
            match.also_called = alternate
        if match.tier != PARTIAL:
            match.similarity = 0.0  # ordered by tier and name count, alike on every database
        elif career_id not in measured:
            best_name = match.title if title_tier == PARTIAL else alternate
            match.similarity = difflib.SequenceMatcher(None, query, " ".join(words(best_name))).ratio()
    return sorted(matches.values(), key=Match.key)


def corrections(text, vocabulary, cutoff=0.75):
    """The query with each word no name holds replaced by the closest word one does, or "".

    vocabulary: the words of the names that share a query word's first two letters (a typo
    there is not corrected, which keeps the candidates few). "" when nothing changed.
    """
    known = {stem(word) for word in vocabulary}
    corrected, changed = [], False
    for word in words(text)[:MAX_WORDS]:
        close = [] if word in known else difflib.get_close_matches(
            word, [other for other in known if other[:2] == word[:2]], n=1, cutoff=cutoff
        )
        changed = changed or bool(close)
        corrected.append(close[0] if close else word)
    return " ".join(corrected) if changed else ""
