"""Learner pages and the public verification page, timed in-process (issue #8, items 1, 2, 5).

Server time through Django's test client and the whole middleware stack, with
no network. The lesson page is compared with bench.views.bare_lesson, which
renders the same body alone, in the same run.
"""

from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from bench import REDIS_URL, redis_answers
from bench.timing import Request, time_requests

LESSON_RATIO_TARGET = 1.5


def _signed_in(rep):
    client = Client()
    client.force_login(rep)
    return client


def _row(measure, timing, **extra):
    return {
        "section": "pages",
        "measure": measure,
        "median_ms": round(timing.median_ms, 2),
        "p95_ms": round(timing.p95_ms, 2),
        "queries": timing.queries,
        **extra,
    }


def _bare(lesson):
    return reverse("bench_bare_lesson", args=[lesson.url.lstrip("/")])


def _plain(lesson):
    return reverse("bench_plain_lesson", args=[lesson.url.lstrip("/")])


def _lesson_against(client, reference_url, lesson, *, runs, measure, reference, against):
    """The lesson page and a reference page timed alternately: two rows."""
    page, other = time_requests(
        [Request(client, lesson.url), Request(client, reference_url)], runs=runs
    )
    ratio = page.median_ms / other.median_ms
    return [
        _row(
            measure,
            page,
            ratio=round(ratio, 2),
            target=f"<= {LESSON_RATIO_TARGET}x {against}",
            ok=ratio <= LESSON_RATIO_TARGET,
        ),
        _row(reference, other, bytes=other.size),
    ]


def run(ctx):
    fx = ctx.fixtures
    client = _signed_in(fx.rep)
    rows = []

    lesson_100, bare_100, lesson_5, bare_5 = time_requests(
        [
            Request(client, fx.large_lesson.url),
            Request(client, _bare(fx.large_lesson)),
            Request(client, fx.small_lesson.url),
            Request(client, _bare(fx.small_lesson)),
        ],
        runs=ctx.runs,
    )
    ratio_100 = lesson_100.median_ms / bare_100.median_ms
    ratio_5 = lesson_5.median_ms / bare_5.median_ms
    rows += [
        _row(
            "Lesson page, course of 100 lessons",
            lesson_100,
            ratio=round(ratio_100, 2),
            target=f"<= {LESSON_RATIO_TARGET}x bare",
            ok=ratio_100 <= LESSON_RATIO_TARGET,
            bytes=lesson_100.size,
        ),
        _row("Bare Wagtail page, same lesson and body", bare_100, bytes=bare_100.size),
        _row(
            "Lesson page, course of 5 lessons",
            lesson_5,
            ratio=round(ratio_5, 2),
            target="same queries as 100",
            ok=lesson_5.queries == lesson_100.queries,
        ),
        _row("Bare Wagtail page, 5-lesson course", bare_5),
    ]

    # The second reading of "a bare Wagtail page": served the way every page of
    # the site is (Wagtail's serve hooks, the site's layout), with only the body.
    rows += _lesson_against(
        client,
        _plain(fx.large_lesson),
        fx.large_lesson,
        runs=ctx.runs,
        measure="Lesson page, course of 100 lessons, against the plain page below",
        reference="Plain Wagtail page: same body, Wagtail's serve hooks, site layout",
        against="plain",
    )

    # The in-process runs keep the lesson page's outline in the test settings'
    # per-process cache; production keeps it in Redis, a round trip away.
    if redis_answers():
        in_redis = override_settings(
            CACHES={
                "default": {
                    "BACKEND": "core.cache.ResilientRedisCache",
                    "LOCATION": REDIS_URL,
                    "KEY_PREFIX": "knowhow-bench",
                }
            }
        )
        with in_redis:
            cache.clear()  # the bench's own Redis database: nothing from an earlier run
            rows += _lesson_against(
                client,
                _bare(fx.large_lesson),
                fx.large_lesson,
                runs=ctx.runs,
                measure="Lesson page, course of 100 lessons, cache in Redis as in production",
                reference="Bare Wagtail page, same lesson, cache in Redis",
                against="bare",
            )

    course, catalogue, dashboard = time_requests(
        [
            Request(client, fx.large_course.url),
            Request(client, "/courses/"),
            Request(client, "/dashboard/"),
        ],
        runs=ctx.runs,
    )
    rows += [
        _row("Course page, 10 modules x 10 lessons", course),
        _row(f"Catalogue, {ctx.volumes['live_courses']} courses, page 1", catalogue),
        _row("Dashboard, rep with 20 enrolments", dashboard),
    ]

    anonymous = Client()
    verify_url = reverse("certificate_verify", args=[fx.certificate.code])
    if b"This certificate is valid." not in anonymous.get(verify_url).content:
        raise RuntimeError("the bench certificate does not read as valid")
    # A different client address each time: the page limits checks per address.
    (verify,) = time_requests(
        [
            Request(
                anonymous,
                verify_url,
                environ=lambda n: {
                    "REMOTE_ADDR": f"10.{n // 65025 % 250}.{n // 255 % 255}.{n % 255}"
                },
            )
        ],
        runs=ctx.runs,
    )
    rows.append(_row("Certificate verification page", verify))
    return rows
