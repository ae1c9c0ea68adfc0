"""The starter catalogue's content rules: sources, quiz answers, plain English, review notes.

These read the course files only (no database). They hold the rules a legal and
readability review of the catalogue asked for, so a later edit cannot drift back:

- every source that names legislation links to its text on legislation.gov.uk, and no
  source links to a site's home page;
- a lesson that names an Act cites it with a section (or schedule or part) in its sources;
- a short-text question never accepts an answer made only of words printed in its stem;
- each course's lesson prose scores at least 60 on Flesch reading ease, and no paragraph
  of 25 words or more scores below 30;
- each course says when it was last reviewed and what changed, newest entry first.
"""

import datetime
import html
import re
from urllib.parse import urlsplit

import pytest
import textstat

from assessments.grading import normalise_answer
from courses.catalogue import CATALOGUE_DIR, read_course_file

FILES = sorted(CATALOGUE_DIR.glob("*.yaml"))

# Every Act the catalogue names. A new Act must be added here, so that the rule
# "cite it with a section" cannot be dodged by a name the test does not know.
KNOWN_ACTS = {
    "Data (Use and Access) Act 2025",
    "Data Protection Act 1998",
    "Data Protection Act 2018",
    "Employment Relations Act 1999",
    "Employment Rights Act 1996",
    "Employment Rights Act 2025",
    "Equality Act 2010",
    "Freedom of Information (Scotland) Act 2002",
    "Freedom of Information Act 2000",
    "Human Rights Act 1998",
    "Local Audit and Accountability Act 2014",
    "Post Office (Horizon System) Offences Act 2024",
    "Procurement Act 2023",
    "Procurement Reform (Scotland) Act 2014",
    "Public Services (Social Value) Act 2012",
    "Social Partnership and Public Procurement (Wales) Act 2023",
    "Trade Union Act 2016",
    "Trade Union and Labour Relations (Consolidation) Act 1992",
}
ACT_NAME = re.compile(
    r"(?:[A-Z][\w’'-]*\s+)(?:(?:[A-Z][\w’'-]*|\([^()]*\)|and|of|for|on)\s+)*Act\s+(?:19|20)\d\d"
    # …but not an Act's name at the start of the title of regulations made under it.
    r"(?!\s+\([^()]*\)\s+(?:Regulations|Order))"
)
# What names legislation in a source label: an Act or regulations with a year, the UK GDPR,
# or a statutory instrument number.
NAMES_LEGISLATION = re.compile(
    r"\bAct (?:18|19|20)\d\d\b|\bRegulations (?:19|20)\d\d\b|\bUK GDPR\b|\bS\.?I\.? \d{4}/\d+"
)
SECTION_REFERENCE = re.compile(
    r"\b(?:s|ss|sections?|Schedules?|Sch|Parts?|paragraph|para)\.?\s*\d", re.IGNORECASE
)
STOPWORDS = {"a", "an", "the", "of", "to", "in", "on", "and", "or", "for", "by"}
EARLIEST_REVIEW = datetime.date(2026, 12, 1)


def courses():
    return [read_course_file(path) for path in FILES]


def lessons(course):
    for module in course["modules"]:
        yield from module["lessons"]


def questions(course):
    for lesson in lessons(course):
        yield from (lesson.get("quiz") or {}).get("questions", [])


def paragraphs(rich_or_plain: str) -> list[str]:
    """A block's text as the sentences-or-lines a reader meets: paragraphs, list items and
    headings each end where they end on screen, so a list is not read as one long sentence."""
    text = re.sub(r"</(?:p|li|h[2-6])>|<br\s*/?>", "\n", rich_or_plain)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    out = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            out.append(line if line[-1] in ".?!:;" else line + ".")
    return out


def prose(block) -> list[str]:
    """The learner-facing prose of a lesson block; templates and source labels are left out."""
    kind = block["type"]
    if kind in {"text", "key_point", "case_study"}:
        return paragraphs(block["text"])
    if kind == "definition":
        return paragraphs(block["definition"])
    if kind == "questions":
        return paragraphs(block.get("intro") or "") + [
            line for item in block["items"] for line in paragraphs(item)
        ]
    if kind == "checklist":
        return [line for item in block["items"] for line in paragraphs(item)]
    if kind == "table":
        return [line for row in block["rows"] for cell in row for line in paragraphs(str(cell))]
    return []


def all_text(value) -> str:
    """Every string in a block (or list of blocks), for finding the Acts a lesson names."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(all_text(item) for key, item in value.items() if key != "url")
    if isinstance(value, list):
        return " ".join(all_text(item) for item in value)
    return ""


def source_items(lesson):
    return [
        item for block in lesson["body"] if block["type"] == "sources" for item in block["items"]
    ]


def acts_named(text: str) -> set[str]:
    found = set()
    for match in ACT_NAME.finditer(text):
        name = match.group(0)
        known = [act for act in KNOWN_ACTS if name.endswith(act)]
        assert known, f"{name!r} is not in KNOWN_ACTS: add it (with its exact title)"
        found.add(max(known, key=len))
    return found


def test_the_act_finder_reads_the_titles_it_must():
    assert acts_named("under the Data (Use and Access) Act 2025, section 80") == {
        "Data (Use and Access) Act 2025"
    }
    tulrca = "Trade Union and Labour Relations (Consolidation) Act 1992"
    assert acts_named(f"Section 181 of the {tulrca}") == {tulrca}
    assert acts_named("the Employment Relations Act 1999 (Blacklists) Regulations 2010") == set()
    assert acts_named("The Freedom of Information Act 2000 and the Equality Act 2010") == {
        "Freedom of Information Act 2000",
        "Equality Act 2010",
    }
    with pytest.raises(AssertionError, match="not in KNOWN_ACTS"):
        acts_named("the Invented Powers Act 2031")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_sources_naming_legislation_link_to_legislation_gov_uk(path):
    course = read_course_file(path)
    problems = []
    for lesson in lessons(course):
        for item in source_items(lesson):
            label, url = item["label"], item.get("url") or ""
            if NAMES_LEGISLATION.search(label) and "legislation.gov.uk/" not in url:
                problems.append(f"{lesson['slug']}: {label!r} needs a legislation.gov.uk link")
            if url:
                parts = urlsplit(url)
                if parts.scheme != "https" or not parts.netloc:
                    problems.append(f"{lesson['slug']}: {url!r} is not an https address")
                elif parts.path.strip("/") == "" and not parts.query:
                    problems.append(f"{lesson['slug']}: {url!r} is a home page, not the source")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_act_a_lesson_names_is_cited_with_a_section(path):
    course = read_course_file(path)
    problems = []
    for lesson in lessons(course):
        items = source_items(lesson)
        named = acts_named(all_text(lesson["body"])) | acts_named(
            all_text((lesson.get("quiz") or {}).get("questions", []))
        )
        for act in sorted(named):
            cited = [
                item
                for item in items
                if act in item["label"] and SECTION_REFERENCE.search(item["label"])
            ]
            if not cited:
                problems.append(
                    f"{lesson['slug']}: names the {act} but no source item cites it "
                    "with a section, schedule or part"
                )
    assert not problems, "\n".join(problems)


def answer_words(text: str) -> set[str]:
    return set(normalise_answer(text).split()) - STOPWORDS


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_short_text_answers_are_not_printed_in_the_stem(path):
    course = read_course_file(path)
    problems = []
    for question in questions(course):
        if question["type"] != "short_text":
            continue
        stem = answer_words(question["stem"])
        for accepted in question["accepted"]:
            words = answer_words(str(accepted))
            if not words or words <= stem:
                problems.append(f"{question['key']}: accepts {accepted!r}, printed in the stem")
    assert not problems, "\n".join(problems)


def test_the_stem_rule_catches_an_answer_copied_from_the_stem():
    stem = answer_words("Where (the central digital platform) are notices published?")
    assert answer_words("central digital platform") <= stem
    assert answer_words("the Central Digital-Platform") <= stem
    assert not answer_words("Find a Tender") <= stem


def flesch(text: str) -> float:
    return textstat.flesch_reading_ease(text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_lesson_prose_is_plain_english(path):
    course = read_course_file(path)
    chunks = [line for lesson in lessons(course) for b in lesson["body"] for line in prose(b)]
    score = flesch(" ".join(chunks))
    assert score >= 60, f"{course['slug']}: Flesch reading ease {score:.1f}, below 60"
    hard = [
        f"{lesson['slug']}: {flesch(line):.1f} {line[:70]!r}"
        for lesson in lessons(course)
        for block in lesson["body"]
        for line in prose(block)
        if len(line.split()) >= 25 and flesch(line) < 30
    ]
    assert not hard, "paragraphs below 30 (split them, plain meaning first):\n" + "\n".join(hard)


def test_the_readability_measure_tells_plain_from_dense():
    plain = "You can ask for a copy of your data. Your employer must reply within a month."
    dense = (
        "Notwithstanding the aforementioned statutory provisions, organisational "
        "determinations concerning automated individualised decision-making necessitate "
        "comprehensive, contemporaneous documentation and justification."
    )
    assert flesch(plain) >= 60 > flesch(dense)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_course_says_when_it_was_reviewed_and_what_changed(path):
    course = read_course_file(path)
    reviewed = course["last_reviewed"]
    assert isinstance(reviewed, datetime.date)
    assert EARLIEST_REVIEW <= reviewed <= datetime.date.today()
    notes = course["change_notes"]
    assert isinstance(notes, list) and notes, "change_notes is a list of dated entries"
    dates = [entry["date"] for entry in notes]
    assert all(isinstance(date, datetime.date) for date in dates)
    assert dates == sorted(dates, reverse=True), "newest entry first"
    assert dates[0] == reviewed, "the newest entry is the last review"
    for entry in notes:
        assert entry["changes"] and all(
            isinstance(line, str) and line.strip() for line in entry["changes"]
        ), entry["date"]
