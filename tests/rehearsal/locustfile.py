"""The people of `make rehearsal`: anonymous visitors, partners, inner members, coordinators.

Run by tests/rehearsal/run.py (locust, headless). REHEARSAL_FIXTURES names the
JSON of tests/rehearsal/seed.py (session keys per role, ids of the work to do);
REHEARSAL_RESULTS the JSON this file writes when the run stops: figures per page
kind and every failed request with its time, so the orchestrator can tell a
failure inside a fault's seconds from one outside.

Each request is named by its page kind ("partner: meetings"), so the figures
per kind come from locust's own statistics. A POST whose work is already done
(minutes another coordinator published a moment ago, a request already decided)
answers as the portal answers a person: a redirect with a message, or 404 for a
request that is no longer pending, which counts as a success.

A share of the partners sign in themselves, through allauth's form with the
production hasher (Argon2), at their start and again now and then after signing
out: their POST is the page kind "sign-in". Each of them connects from an
address of its own on loopback (127.0.0.2, ...): nginx passes the peer's address
on, so the portal's per-address sign-in limit (30 a minute) applies per person
as it would in production, not to the whole load at once.
"""

import collections
import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser

from locust import HttpUser, between, events, task
from locust.clients import LocustHttpAdapter
from locust.stats import calculate_response_time_percentile
from urllib3 import PoolManager

FIXTURES = json.loads(open(os.environ["REHEARSAL_FIXTURES"], encoding="utf-8").read())  # noqa: SIM115
RESULTS = os.environ.get("REHEARSAL_RESULTS", "")
TIMEOUT = float(os.environ.get("REHEARSAL_REQUEST_TIMEOUT", "30"))
FAILURES: list[dict] = []
_COOKIES = {role: itertools.cycle(keys) for role, keys in FIXTURES["cookies"].items() if keys}
_SIGNING_IN = itertools.cycle(FIXTURES["signing_in"])
_ADDRESSES = itertools.count(2)
SIGN_IN = "sign-in"


class _Forms(HTMLParser):
    """The hidden inputs of each form of a page, by the form's action."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = self.forms.setdefault(attrs.get("action") or "", {})
        elif (
            tag == "input"
            and self._current is not None
            and attrs.get("type") == "hidden"
            and attrs.get("name")
        ):
            self._current[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def hidden_fields(html: str, action: str) -> dict[str, str] | None:
    parser = _Forms()
    parser.feed(html)
    if action in parser.forms:
        return parser.forms[action]
    # A form that posts to its own page may name no action: the one with a one-time token.
    return next((fields for fields in parser.forms.values() if "once" in fields), None)


@events.request.add_listener
def _note_failure(request_type, name, response_time, response_length, response=None, exception=None, **_):
    status = getattr(response, "status_code", None)
    if exception is not None or (status is not None and status >= 500):
        FAILURES.append(
            {"t": time.time(), "name": name, "status": status or 0, "error": repr(exception)[:200]}
        )


@events.quitting.add_listener
def _write_results(environment, **_):
    if not RESULTS:
        return
    stats = environment.stats
    kinds = {}
    for (name, method), entry in sorted(stats.entries.items()):
        kinds[f"{method} {name}"] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
        }
    # Every request but the sign-ins: what the sign-in's times are measured against (run.summary).
    others = collections.Counter()
    for (name, method), entry in stats.entries.items():
        if (method, name) != ("POST", SIGN_IN):
            others.update(entry.response_times)
    total = stats.total
    with open(RESULTS, "w", encoding="utf-8") as out:
        json.dump(
            {
                "requests": total.num_requests,
                "failures": total.num_failures,
                "p50": total.get_response_time_percentile(0.5),
                "p95": total.get_response_time_percentile(0.95),
                "kinds": kinds,
                "others": {
                    "requests": others.total(),
                    "p50": calculate_response_time_percentile(others, others.total(), 0.5),
                    "p95": calculate_response_time_percentile(others, others.total(), 0.95),
                },
                "failed": FAILURES,
            },
            out,
        )


class Visitor(HttpUser):
    abstract = True
    role = ""
    wait_time = between(2, 8)

    def on_start(self):
        if self.role:
            self.client.cookies.set(FIXTURES["session_cookie"], next(_COOKIES[self.role]))

    def page(self, path: str, kind: str, *, allowed=(200,)):
        with self.client.get(
            path, name=f"{self.role or 'anonymous'}: {kind}", timeout=TIMEOUT, catch_response=True
        ) as response:
            self._judge(response, allowed)
            return response

    def send(
        self, path: str, kind: str, data: dict, *, form_page: str | None = None, allowed=(200, 302, 404)
    ):
        """A POST as the browser sends it: the form's hidden fields (CSRF, one-time token), then `data`."""
        fields = {}
        if form_page is not None:
            page = self.page(form_page, f"{kind} (form)", allowed=(200, 404))
            fields = (page.status_code == 200 and hidden_fields(page.text, path)) or {}
        fields.setdefault("csrfmiddlewaretoken", self.client.cookies.get("csrftoken", ""))
        with self.client.post(
            path,
            data={**fields, **data},
            name=f"{self.role}: {kind}",
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + (form_page or path)},
        ) as response:
            self._judge(response, allowed)

    @staticmethod
    def _judge(response, allowed):
        if response.status_code in allowed:
            response.success()
        elif response.status_code >= 500 or response.status_code == 0:
            response.failure(f"{response.status_code}")
        else:
            response.failure(f"unexpected {response.status_code}")


class Anonymous(Visitor):
    weight = 10

    @task(3)
    def catalogue(self):
        self.page("/projects/", "catalogue")

    @task(2)
    def information(self):
        self.page("/informationen/", "information")

    @task(2)
    def search(self):
        word = random.choice(["Ausbildung", "Digitalisierung", "Fachkräfte", "Nachfolge", "Energie"])
        self.page(f"/projects/?q={word}", "search")

    @task(1)
    def start_page(self):
        self.page("/", "start page")


class Partner(Visitor):
    weight = 5
    role = "partner"

    @task(3)
    def start_page(self):
        self.page("/", "start page")

    @task(2)
    def meetings(self):
        self.page("/meetings/", "meetings")

    @task(2)
    def threads(self):
        slug = FIXTURES["fachgruppe"]
        self.page(f"/spaces/{slug}/threads/", "threads")
        if FIXTURES["fachgruppe_threads"]:
            self.page(f"/spaces/{slug}/threads/{random.choice(FIXTURES['fachgruppe_threads'])}/", "thread")

    @task(1)
    def rsvp(self):
        pk = FIXTURES["upcoming_meeting"]
        self.page(f"/meetings/{pk}/", "meeting")
        self.send(
            f"/meetings/{pk}/participants/respond/",
            "RSVP",
            {"response": random.choice(["accepted", "declined", "excused"])},
        )


class InnerMember(Visitor):
    weight = 3
    role = "inner"

    @task(3)
    def inner_threads(self):
        self.page(f"/spaces/{FIXTURES['inner']}/threads/", "inner threads")

    @task(2)
    def read_thread(self):
        pk = random.choice(FIXTURES["inner_threads"])
        self.page(f"/spaces/{FIXTURES['inner']}/threads/{pk}/", "inner thread")

    @task(1)
    def reply_with_mention(self):
        path = f"/spaces/{FIXTURES['inner']}/threads/{random.choice(FIXTURES['inner_threads'])}/"
        name = random.choice(FIXTURES["inner_names"])
        self.send(
            path, "reply with mention", {"body": f"Danke, @{name}, das sehe ich auch so."}, form_page=path
        )


class SigningIn(Partner):
    """A partner who signs in with e-mail address and password, browses, signs out and in again."""

    weight = 3

    def on_start(self):
        address = next(_ADDRESSES)
        source = f"127.0.{address // 250}.{address % 250 + 1}"
        self.client.mount("http://", LocustHttpAdapter(pool_manager=PoolManager(source_address=(source, 0))))
        self.email = next(_SIGNING_IN)
        self.sign_in()

    def sign_in(self):
        form = self.page("/accounts/login/", "sign-in (form)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text or "")
        if form.status_code != 200 or token is None:
            # No form, nothing to send: a person tries again later (the failed page counts already).
            return
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "login": self.email,
                "password": FIXTURES["password"],
            },
            name=SIGN_IN,
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
            headers={"Referer": self.host + "/accounts/login/"},
        ) as response:
            # Signed in is a redirect away from the form; the form again (200) is a refused sign-in.
            if response.status_code == 302 and "/accounts/" not in response.headers.get("Location", ""):
                response.success()
            else:
                self._judge(response, ())

    @task(1)
    def sign_out_and_in(self):
        self.send("/accounts/logout/", "sign-out", {}, allowed=(302,))
        self.sign_in()


class Coordinator(Visitor):
    weight = 2
    role = "coordinator"

    @task(2)
    def start_page(self):
        self.page("/", "start page")

    @task(1)
    def publish_minutes(self):
        pk = random.choice(FIXTURES["drafts"])
        self.page(f"/meetings/{pk}/", "meeting")
        self.send(f"/meetings/{pk}/minutes/publish/", "publish minutes", {})

    @task(1)
    def widen(self):
        slug, pk = FIXTURES["inner"], random.choice(FIXTURES["widenable"])
        path = f"/spaces/{slug}/threads/{pk}/widen/"
        self.send(path, "widen", {"confirm": "widen"}, form_page=path)

    @task(1)
    def approve(self):
        slug = FIXTURES["fachgruppe"]
        listing = self.page(f"/spaces/{slug}/requests/", "join requests")
        pending = re.findall(rf'href="(/spaces/{slug}/requests/\d+/)"', listing.text or "")
        if pending:
            path = random.choice(pending)
            self.send(path, "approve", {"decision": "approve", "reason": ""}, form_page=path)
