"""The learner journey, as locust runs it against a Knowhow server (bench/load).

Each simulated rep signs in once with an account of its own (LOAD_EMAILS,
LOAD_PASSWORD), then works through the courses in LOAD_COURSES in turn: the
course page, enrol, five lessons (open, mark complete), and the quiz of the
last lesson (start, open, answer, check, submit), which completes the course.
Between steps it pauses as a person reading would (LOAD_THINK seconds, 1-2 by
default). Each rep comes from an address of its own, as reps behind the
union's proxy do (X-Forwarded-For, with Knowhow trusting one proxy).
Requests are named by step, so locust's statistics are per step.

This file runs in .venv-load (locust's virtualenv), not Knowhow's: it imports
nothing of Knowhow's and speaks only HTTP, as a browser would.
"""

import itertools
import json
import os
import re

from locust import HttpUser, between, task
from locust.exception import StopUser

ADDRESSES = itertools.count(1)
EMAILS = itertools.cycle(os.environ.get("LOAD_EMAILS", "").split(","))
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
COURSES = json.loads(os.environ.get("LOAD_COURSES", "[]"))
LOW, HIGH = (float(x) for x in os.environ.get("LOAD_THINK", "1,2").split(","))
RADIO = re.compile(r'type="radio" id="[^"]*" name="(q\d+)" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]+)"')


class Rep(HttpUser):
    wait_time = between(LOW, HIGH)

    def on_start(self):
        self.client.headers["Host"] = "127.0.0.1"
        self.email = next(EMAILS)
        # Reps sign in from their own addresses, through the proxy in front of
        # the site (the runner tells Knowhow to trust one proxy): otherwise
        # the per-address sign-in limit would see one client signing in 50 times.
        n = next(ADDRESSES)
        self.client.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        self.courses = iter(COURSES)
        self.client.get("/accounts/login/", name="sign-in page")
        with self.post("/accounts/login/", "sign in", login=self.email, password=PASSWORD) as r:
            if r.status_code != 302 or "/accounts/login/" in r.headers.get("Location", ""):
                r.failure(f"sign-in refused: {r.status_code}")
                raise StopUser()

    def post(self, path, name, **data):
        data["csrfmiddlewaretoken"] = self.client.cookies.get("knowhow_csrftoken", "")
        return self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        )

    def expect(self, response, status, ending=""):
        with response as r:
            location = r.headers.get("Location", "")
            if r.status_code != status or not location.endswith(ending):
                r.failure(f"{r.status_code} {location}")
                return None
            r.success()
            return r

    @task
    def take_a_course(self):
        course = next(self.courses, None)
        if course is None:
            raise StopUser()  # every course done: this rep goes home
        self.client.get(course["url"], name="course page")
        self.wait()
        self.expect(self.post(course["url"] + "start/", "enrol"), 302)
        *lessons, quiz = course["lessons"]
        for lesson in lessons:
            self.client.get(lesson, name="lesson")
            self.wait()
            self.expect(self.post(lesson + "complete/", "mark complete"), 302)
        self.client.get(quiz, name="lesson")
        started = self.expect(self.post(quiz + "quiz/start/", "quiz start"), 302)
        if started is None:
            return
        attempt = started.headers["Location"]
        page = self.client.get(attempt, name="quiz page")
        answers = {name: value for name, value in RADIO.findall(page.text) if value == "true"}
        version = VERSION.search(page.text)
        self.wait()
        saved = self.post(attempt, "quiz answer", version=version[1] if version else "", **answers)
        if self.expect(saved, 302, "/check/") is None:
            return
        check = self.client.get(attempt + "check/", name="quiz check page")
        version = VERSION.search(check.text)
        self.expect(
            self.post(attempt + "check/", "quiz submit", version=version[1] if version else ""),
            302,
            "/result/",
        )
