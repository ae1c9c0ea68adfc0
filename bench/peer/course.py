"""The comparable course both sides of the side-by-side benchmark are seeded with.

One spec, two seeds: bench/peer/knowhow.py builds it in Knowhow's database,
bench/peer/project/peer_bench/management/commands/peer_seed.py in the
wagtail-lms project's, from the JSON `spec()` returns. Plain Python, no
Django: the peer's seed reads it from a file in the peer's own virtualenv.

- one course of 7 lessons (Knowhow: in one module; wagtail-lms: lesson pages
  straight under the course, the only structure it has);
- each lesson about 1,600 words (10 KB of HTML) of rich text in 5 blocks (headings,
  paragraphs with bold, italic and links, a list), the same HTML on both sides;
- a learner enrolled with lessons 1-3 done; the page measured is lesson 4;
- 40 other learners enrolled, learner n with the first n % 7 lessons done
  (nobody finishes, so no certificates on Knowhow's side).
"""

import json

LESSONS = 7
SECTIONS = 5
PARAGRAPHS_PER_SECTION = 3
SENTENCES_PER_PARAGRAPH = 7
OTHER_LEARNERS = 40
DONE_BY_LEARNER = 3
MEASURED_LESSON = 4  # 1-based: the first lesson the learner has not done

COURSE_TITLE = "Algorithms at work: a rep's guide"
COURSE_SLUG = "peer-bench-algorithms-at-work"
LEARNER_EMAIL = "peer-bench-rep@example.org"

TOPICS = [
    "shift allocation",
    "pick-rate targets",
    "absence scoring",
    "performance ranking",
    "recruitment screening",
    "workplace monitoring",
    "pay and bonuses",
]

SENTENCES = [
    "An algorithm at work is a set of rules a computer follows to decide something about you.",
    "Your employer chose to use the system, so your employer must be able to explain it.",
    "Ask in writing which decisions it makes, which it only suggests, and who checks them.",
    "Members often notice the effects long before anyone tells them a system exists.",
    "Keep a note of dates, names and what was said, because patterns matter more than anecdotes.",
    "A target that nobody can explain is a target that nobody can fairly be disciplined against.",
    "Data protection law gives every worker the right to see the personal data held about them.",
    "Where a decision is made without human review, the law gives extra protection.",
    "The union can ask for the impact assessment the employer should have written first.",
    "Collective agreements can set limits that go further than the legal minimum.",
    "Talk to members before the meeting so you know what they have actually experienced.",
    "Bring two or three concrete questions rather than a long list of general worries.",
]


def _paragraph(lesson, section, paragraph):
    """About 90 words: SENTENCES_PER_PARAGRAPH sentences, a bold one, an italic one,
    in the first paragraph of each section a link."""
    start = (lesson * 7 + section * 3 + paragraph) % len(SENTENCES)
    chosen = [SENTENCES[(start + k) % len(SENTENCES)] for k in range(SENTENCES_PER_PARAGRAPH)]
    chosen[1] = f"<b>{chosen[1]}</b>"
    chosen[4] = f"<i>{chosen[4]}</i>"
    if paragraph == 1:
        chosen[5] = (
            f'{chosen[5][:-1]}, as the <a href="https://www.legislation.gov.uk/">'
            "legislation</a> sets out."
        )
    return "<p>" + " ".join(chosen) + "</p>"


def lesson_blocks(lesson):
    """The lesson's body: SECTIONS rich-text blocks of HTML in Wagtail's stored format."""
    topic = TOPICS[(lesson - 1) % len(TOPICS)]
    blocks = []
    for section in range(1, SECTIONS + 1):
        html = f"<h2>{topic.capitalize()}: part {section}</h2>"
        html += "".join(
            _paragraph(lesson, section, p) for p in range(1, PARAGRAPHS_PER_SECTION + 1)
        )
        if section == 3:
            html += (
                "<h3>Questions to ask</h3><ul>"
                "<li>What decisions does the system make or suggest?</li>"
                "<li>What data does it use, and where does that data come from?</li>"
                "<li>Who can overrule it, and how often do they?</li></ul>"
            )
        blocks.append(html)
    return blocks


def words(html):
    """Words of text in some HTML, tags left out."""
    text, inside = [], False
    for char in html:
        if char == "<":
            inside = True
            text.append(" ")
        elif char == ">":
            inside = False
        elif not inside:
            text.append(char)
    return len("".join(text).split())


def spec():
    """The course, its learners and their progress, as the JSON-able dict both seeds read."""
    lessons = [
        {
            "title": f"Lesson {n}: {TOPICS[(n - 1) % len(TOPICS)]}",
            "slug": f"lesson-{n}",
            "blocks": lesson_blocks(n),
        }
        for n in range(1, LESSONS + 1)
    ]
    others = [
        {
            "email": f"peer-bench-learner-{n:02d}@example.org",
            "name": f"Learner {n:02d}",
            "done": n % LESSONS,
        }
        for n in range(1, OTHER_LEARNERS + 1)
    ]
    return {
        "course": {"title": COURSE_TITLE, "slug": COURSE_SLUG},
        "lessons": lessons,
        "learner": {"email": LEARNER_EMAIL, "name": "Peer Bench Rep", "done": DONE_BY_LEARNER},
        "others": others,
        "measured_lesson": MEASURED_LESSON,
    }


def dump(path):
    path.write_text(json.dumps(spec(), indent=1))
    return path
