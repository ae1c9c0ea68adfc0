"""Redis down, frozen or back: pages render, sign-in pauses, nothing hangs (issue #15).

Against a real redis-server of the test's own on a free port (never the shared
one), killed, frozen with SIGSTOP (connections open, nothing answered, as
when packets are dropped) and started again. core/cache.py is the backend.
"""

import re
import time

import pytest
from django.core.cache import cache, caches
from django.test import Client, override_settings

from bench.processes import RedisServer
from core.cache import CacheUnavailable, breaker_for
from courses import page_cache
from courses.services import enrolment_start
from tests.factories.courses import lessons_of, make_course

BREAK_SECONDS = 0.5


@pytest.fixture(scope="module")
def redis_server():
    try:
        server = RedisServer().start()
    except FileNotFoundError:
        pytest.skip("redis-server is not installed")
    yield server
    server.stop()


@pytest.fixture
def redis(redis_server):
    """The default cache is the resilient backend on our own Redis, started and empty."""
    if not redis_server.running():
        redis_server.start()
    location = redis_server.url
    settings = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "knowhow-test",
            "OPTIONS": {"BREAK_SECONDS": BREAK_SECONDS},
        }
    }
    breaker = breaker_for((location,))
    breaker.open_until = 0.0
    breaker.break_seconds = BREAK_SECONDS
    breaker.take_dropped()
    with override_settings(CACHES=settings):
        cache.clear()
        yield redis_server
        redis_server.thaw()
        if not redis_server.running():
            redis_server.start()
        breaker.open_until = 0.0
        breaker.take_dropped()
        caches["default"].clear()


def wait_past_the_breaker():
    """Let the breaker's short open spell end: the next call tries Redis again."""
    breaker = caches["default"].breaker
    while breaker.is_open():
        time.sleep(0.02)


def timed(call):
    started = time.monotonic()
    value = call()
    return value, time.monotonic() - started


def test_everything_works_while_redis_answers(redis):
    cache.set("a", 1)
    assert cache.get("a") == 1
    assert cache.add("a", 2) is False
    assert cache.incr("a") == 2
    assert cache.get_many(["a", "b"]) == {"a": 2}
    assert cache.set_many({"b": 3, "c": 4}) == []
    cache.delete_many(["b"])
    assert cache.get_many(["a", "b", "c"]) == {"a": 2, "c": 4}
    assert cache.has_key("c")
    cache.set("allauth:rl:login:x", [1.0])
    assert cache.get("allauth:rl:login:x") == [1.0]


def test_a_stopped_redis_is_a_miss_at_once_and_then_skipped(redis):
    cache.set("kept", "value")
    redis.stop()
    value, first = timed(lambda: cache.get("kept", "default"))
    assert value == "default"
    # Refused at once; then skipped without even trying.
    assert first < 0.5
    for _ in range(20):
        assert timed(lambda: cache.get("kept"))[1] < 0.01
    assert cache.set("new", 1) is None
    assert cache.add("new", 1) is False
    assert cache.get_many(["kept", "new"]) == {}
    assert cache.set_many({"x": 1}) == ["x"]
    with pytest.raises(ValueError, match="not found"):
        cache.incr("kept")


def test_a_frozen_redis_costs_one_short_timeout_not_one_per_call(redis):
    cache.set("kept", "value")
    redis.freeze()  # connections stay open; nothing answers
    value, first = timed(lambda: cache.get("kept"))
    assert value is None
    assert first < 1.0  # the 0.25 s read timeout, never a hang
    _, rest = timed(lambda: [cache.get("kept") for _ in range(50)])
    assert rest < 0.1  # the breaker is open: nothing waits again
    wait_past_the_breaker()
    _, probe = timed(lambda: cache.get("kept"))
    assert probe < 1.0  # one more try, one more short timeout, then skipped again
    assert timed(lambda: cache.get("kept"))[1] < 0.01


def test_redis_answering_again_is_used_again(redis):
    redis.stop()
    assert cache.get("a") is None
    redis.start()
    wait_past_the_breaker()
    cache.set("a", 1)
    assert cache.get("a") == 1


def test_keys_that_guard_something_fail_closed(redis):
    redis.stop()
    assert cache.get("anything") is None  # trips the breaker
    for call in [
        lambda: cache.get("allauth:rl:allauth.account:login_failed:10/60.0/ip:127.0.0.1"),
        lambda: cache.add("allauth:rl:allauth.account:login:30/60.0/ip:x:lock", True),
        lambda: cache.add("allauth.mfa.totp.used?user=1&code=123456", "y"),
        lambda: cache.incr("certificate-verify:127.0.0.1"),
        lambda: cache.get_many(["page", "allauth:rl:x"]),
    ]:
        started = time.monotonic()
        with pytest.raises(CacheUnavailable):
            call()
        assert time.monotonic() - started < 0.05


def test_a_write_lost_while_redis_was_away_is_deleted_when_it_returns(redis):
    cache.set("token", "old")
    redis.freeze()
    breaker = hold_the_breaker_open()
    cache.set("token", "new")  # dropped: never sent
    redis.thaw()
    direct = caches["default"]._cache  # Redis as it is, around the breaker
    made = caches["default"].make_key("token")
    assert direct.get(made, None) == "old"  # what a reader would now see as current
    close_the_breaker(breaker)
    assert cache.get("token") is None  # deleted first thing: a miss, not "old"
    assert direct.get(made, None) is None


# The learner's outline (courses/page_cache.py) through a real request cycle.


def progress_text(client, lesson):
    response = client.get(lesson.url)
    assert response.status_code == 200
    return re.search(r'<p class="kh-progress__text">(\d+ of \d+)', response.content.decode())[1]


def hold_the_breaker_open():
    """Trip the breaker and keep it open however slow this machine is, so
    every write until `close_the_breaker` is dropped unsent."""
    breaker = caches["default"].breaker
    breaker.break_seconds = 600
    assert cache.get("trip") is None
    assert breaker.is_open()
    return breaker


def close_the_breaker(breaker):
    """As if the break had run out: the next call tries Redis again."""
    breaker.break_seconds = BREAK_SECONDS
    breaker.open_until = 0.0


@pytest.mark.django_db
def test_pages_render_and_sign_in_pauses_while_redis_is_down(redis, rep, password):
    course = make_course(modules=1, lessons=3)
    enrolment_start(user=rep, course=course)
    lesson = lessons_of(course)[1]
    client = Client(raise_request_exception=False)
    client.force_login(rep)
    assert progress_text(client, lesson) == "0 of 3"
    redis.stop()
    for path in ["/", "/courses/", course.url, lesson.url, "/dashboard/", "/healthz"]:
        response, seconds = timed(lambda path=path: client.get(path))
        assert response.status_code == 200, path
        assert seconds < 2.0, path
    # Completing a lesson still works and shows at once.
    response = client.post(lessons_of(course)[0].url + "complete/")
    assert response.status_code == 302
    assert progress_text(client, lesson) == "1 of 3"

    visitor = Client(raise_request_exception=False)
    response = visitor.post("/accounts/login/", {"login": rep.email, "password": password})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "signing in is paused" in response.content.decode()
    assert "_auth_user_id" not in visitor.session
    # The sign-in page itself still shows.
    assert visitor.get("/accounts/login/").status_code == 200

    redis.start()
    wait_past_the_breaker()
    response = visitor.post("/accounts/login/", {"login": rep.email, "password": password})
    assert response.status_code == 302
    assert visitor.session["_auth_user_id"] == str(rep.pk)


@pytest.mark.django_db
def test_a_lost_token_write_never_shows_stale_progress_once_redis_returns(redis, rep):
    """The learner completes a lesson while their token write cannot reach Redis;
    Redis comes back with the old token and the old outline. The next lesson page
    must show the completion even on a node that never saw the outage."""
    course = make_course(modules=1, lessons=3)
    enrolment_start(user=rep, course=course)
    first, second, _ = lessons_of(course)
    client = Client(raise_request_exception=False)
    client.force_login(rep)
    assert progress_text(client, second) == "0 of 3"  # "0 of 3" is now kept
    direct = caches["default"]._cache
    learner_token = caches["default"].make_key(f"courses:tree:learner:{rep.pk}")
    token_before = direct.get(learner_token, None)
    assert token_before

    redis.freeze()
    breaker = hold_the_breaker_open()
    assert client.post(first.url + "complete/").status_code == 302
    redis.thaw()
    assert direct.get(learner_token, None) == token_before  # the replacement never arrived
    # The node that dropped it is gone (or not asked again): nothing deletes the key.
    breaker.take_dropped()
    close_the_breaker(breaker)
    assert progress_text(client, second) == "1 of 3"


@pytest.mark.django_db
def test_a_lost_pages_token_write_is_made_good_when_redis_returns(redis, rep):
    """An editor publishes while Redis is away; the node that dropped the token
    write deletes the token once Redis answers, so the new title shows."""
    course = make_course(modules=1, lessons=2)
    enrolment_start(user=rep, course=course)
    first, second = lessons_of(course)
    client = Client(raise_request_exception=False)
    client.force_login(rep)
    assert "Lesson 1.2" in client.get(first.url).content.decode()
    redis.freeze()
    breaker = hold_the_breaker_open()
    second.title = "What the employer must tell you"
    second.save_revision().publish()
    redis.thaw()
    close_the_breaker(breaker)
    page_cache.get_or_compute("warm", lambda: 1)  # any call replays the dropped deletes
    assert "What the employer must tell you" in client.get(first.url).content.decode()
