"""What the page benchmarks look at, made once per database.

- a 5-lesson course (1 module) and a 100-lesson course (10 modules x 10 lessons);
- enough one-lesson courses to make 100 live courses in the catalogue;
- a rep enrolled in 20 courses: 19 in progress with 2 lessons done, and one
  finished one-lesson course with its certificate.

Everything is found again by slug and email, so on the scale database a second
run reuses what the first one made instead of adding more.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from bench.content import add_course, find_course, lessons_of
from courses.models import Certificate, CoursePage, Enrolment
from courses.services import enrolment_start, lesson_complete

REP_EMAIL = "bench-rep@example.org"
CATALOGUE_SIZE = 100
ENROLMENTS = 20


@dataclass
class Fixtures:
    rep: object
    small_course: CoursePage
    large_course: CoursePage
    small_lesson: object  # the 3rd of 5 lessons, not completed
    large_lesson: object  # the 3rd of 100 lessons, not completed
    certificate: Certificate


def _course(slug, title, *, modules, lessons):
    return find_course(slug) or add_course(slug=slug, title=title, modules=modules, lessons=lessons)


def ensure():
    """The fixtures, made if this database does not have them yet."""
    small = _course("bench-lessons-5", "Bench course of 5 lessons", modules=1, lessons=5)
    large = _course("bench-lessons-100", "Bench course of 100 lessons", modules=10, lessons=10)
    # In progress on the dashboard: 4 lessons, 2 of them done.
    enrolled = [
        _course(f"bench-enrolled-{n:02d}", f"Bench enrolled course {n:02d}", modules=1, lessons=4)
        for n in range(1, ENROLMENTS - 2)
    ]
    finished = _course("bench-finished", "Bench finished course", modules=1, lessons=1)
    live = CoursePage.objects.live().count()
    n = 0
    while live < CATALOGUE_SIZE:
        n += 1
        if find_course(f"bench-filler-{n:03d}") is None:
            add_course(
                slug=f"bench-filler-{n:03d}", title=f"Bench course {n:03d}", modules=1, lessons=1
            )
            live += 1

    User = get_user_model()
    rep = User.objects.filter(email=REP_EMAIL).first()
    if rep is None:
        rep = User.objects.create_user(email=REP_EMAIL, password=None, display_name="Bench Rep")
    if not Enrolment.objects.filter(user=rep).exists():
        for course in [small, large, *enrolled, finished]:
            enrolment_start(user=rep, course=course)
            for lesson in lessons_of(course)[:2]:
                lesson_complete(user=rep, lesson=lesson, course=course)
    certificate = Certificate.objects.filter(user=rep, current=True).first()
    if certificate is None:
        raise RuntimeError("completing the one-lesson course should have issued a certificate")
    return Fixtures(
        rep=rep,
        small_course=small,
        large_course=large,
        small_lesson=lessons_of(small)[2],
        large_lesson=lessons_of(large)[2],
        certificate=certificate,
    )
