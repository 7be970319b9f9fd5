"""Bad input never breaks Samhus (issue #15, item 4): every URL of the
permission matrix, as every persona, with a corpus of bad values in each
query parameter, form field and URL argument it takes, answers without a
server error. What a bad value should get (400 with a message, the default,
the form again) is tested beside each page; here only "not a 5xx".

The inputs each URL takes are declared in ``INPUTS``; a meta-test reads the
forms and links of every page and fails when one sends an input the table
lacks.

Two walks, each request in a savepoint that is rolled back, so what one
accepted request changes does not reach the next and, on PostgreSQL, a failed
query does not abort the rest:

- one bad input at a time: the persona that gets furthest (a coordinator
  where allowed) gives each input each bad value, the other inputs as the
  permission matrix's plausible request has them, so the value reaches the
  form's own checks and the services behind them; and each URL argument;
- every input bad at once, as every persona: twelve requests in which each
  input takes each bad value once (a Latin square); a persona the URL
  refuses sends one, since its refusal must come before any input is read,
  and so does the persona of the first walk.

NUL characters only fail on PostgreSQL (SQLite stores them), so this module
runs in both suites."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.db import transaction
from django.template.base import Template
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.test_permission_matrix import ALLOWED, MATRIX, OK, PERSONAS, module_world

pytestmark = pytest.mark.django_db

BAD_VALUES = (
    "2026-02-29",  # not a leap year
    "2026-13-45",
    "0001-01-01",
    "9999-12-31",
    "25:61",
    "\x00",
    "x" * 10_000,
    "\u202e",  # right-to-left override
    "abc",
    "-1",
    "1e9",
    "99999999999999999999",
)


@dataclass(frozen=True)
class Inputs:
    """The names of a URL's query parameters and form fields, space-separated."""

    query: str = ""
    post: str = ""


CALENDAR = "view date room actor target theme language city"
PERIOD = "from to form"
CLOSED_DAY = "date name observed"
# The second step of a change to the house: the choices for the bookings it touches.
HOUSE_CHOICES = "decide seen all reason"
DECISION = "scope from"
ACTOR = (
    "name slug kind presence description contact_name contact_email contact_phone website"
    " opening_times languages strengths logo joined_on left_on"
)
OFFER = "title description target_groups themes languages when accessibility contact is_active"
ROOM = (
    "name slug capacity description facilities step_free hearing_loop accessible_toilet photo"
    " needs_approval restricted open_to_presences allowed_actors buffer_minutes parts is_active"
)
SEAT = "user actor role since until"
MEETING = (
    "date title agenda minutes publish_minutes decisions-TOTAL_FORMS decisions-INITIAL_FORMS"
    " decisions-MIN_NUM_FORMS decisions-MAX_NUM_FORMS decisions-0-id decisions-0-text"
    " decisions-0-rule"
)
ROUND = (
    "name season_start season_end rooms applications_open applications_close youth_first"
    " offpeak_share peak_start peak_end note"
)
WISHES = " ".join(
    f"wishes-{n}-{field}"
    for n in (0, 1)
    for field in [
        "title",
        "room",
        "facilities",
        "weekday",
        "start_time",
        "minutes",
        "people",
        "target_group",
        "preference",
        "DELETE",
    ]
)

# An activity's, offer's or sharing post's translations page.
TRANSLATIONS = "title_en title_ar description_en description_ar"

INPUTS: dict[str, Inputs] = {
    # --- centre -------------------------------------------------------------------------
    "centre:healthz": Inputs(),
    "centre:privacy": Inputs(),
    "centre:set-language": Inputs(post="language next"),
    "centre:profile": Inputs(post="name language"),
    "centre:house": Inputs(),
    "centre:centre-edit": Inputs(
        post="name kind tagline_da tagline_en tagline_ar description_da description_en"
        " description_ar address postcode city phone email website opening_note_da"
        " opening_note_en opening_note_ar booking_window_days weekly_quota_hours"
        " cancellation_deadline_hours one_vote_per_actor digest_weekday digest_time"
        " screen_message_da screen_message_en screen_message_ar screen_languages"
        " brand_colour logo logo-clear logo_alt"
    ),
    "centre:design": Inputs(),
    "bookings:hours-edit": Inputs(
        post="form-TOTAL_FORMS form-INITIAL_FORMS form-MIN_NUM_FORMS form-MAX_NUM_FORMS"
        f" form-0-id form-0-weekday form-0-opens form-0-closes form-0-DELETE {HOUSE_CHOICES}"
    ),
    "bookings:closedday-create": Inputs(post=f"{CLOSED_DAY} {HOUSE_CHOICES}"),
    "bookings:closedday-edit": Inputs(post=f"{CLOSED_DAY} {HOUSE_CHOICES}"),
    "bookings:closedday-delete": Inputs(),
    "bookings:holidays-fill": Inputs(post=HOUSE_CHOICES),
    "bookings:closedday-restore": Inputs(),
    "bookings:room-out-of-use": Inputs(post=HOUSE_CHOICES),
    # --- actors -------------------------------------------------------------------------
    "actors:actor-list": Inputs(query="q kind sector presence target page"),
    "actors:actor-create": Inputs(post=ACTOR),
    "actors:actor-detail": Inputs(),
    "actors:actor-edit": Inputs(post=ACTOR),
    "actors:actor-archive": Inputs(post="confirm"),
    "actors:actor-restore": Inputs(),
    "actors:member-list": Inputs(post="email role"),
    "actors:offer-create": Inputs(post=OFFER),
    "actors:member-role": Inputs(post="role"),
    "actors:member-remove": Inputs(),
    "actors:invitation-revoke": Inputs(),
    "actors:invitation-accept": Inputs(),
    "actors:offer-list": Inputs(query="q target theme language actor page"),
    "actors:offer-edit": Inputs(post=OFFER),
    "actors:offer-translations": Inputs(post=TRANSLATIONS),
    "actors:vocabulary": Inputs(post="kind name"),
    "actors:my-actors": Inputs(),
    # --- bookings -----------------------------------------------------------------------
    "bookings:home": Inputs(),
    "bookings:calendar": Inputs(query=f"{CALENDAR} embed"),
    "bookings:feed-ics": Inputs(query=f"{CALENDAR} lang"),
    "bookings:feed-json": Inputs(query=f"{CALENDAR} lang"),
    "bookings:activity": Inputs(),
    "bookings:activity-ics": Inputs(),
    "bookings:parallel": Inputs(query="weeks"),
    "bookings:screen": Inputs(query="room partial refresh lang"),
    "bookings:room-use": Inputs(query="period date"),
    "bookings:room-use-csv": Inputs(query="period date"),
    "bookings:room-list": Inputs(),
    "bookings:room-create": Inputs(post=ROOM),
    "bookings:facilities": Inputs(post="name"),
    "bookings:room-detail": Inputs(query="date"),
    "bookings:room-edit": Inputs(post=ROOM),
    "bookings:booking-create": Inputs(
        query="room date start end",
        post="actor room title date start_time end_time repeat until skip_closed_days"
        " visibility description target_groups themes languages open_to_whole_city"
        " expected_participants override book_rest look slot"
        " signups-take signups-places signups-opens_days_before signups-closes_hours_before"
        " signups-waiting_list signups-per_person signups-bring signups-who signups-who_note",
    ),
    "bookings:my-bookings": Inputs(),
    "bookings:requests": Inputs(query="room actor date"),
    "bookings:booking-detail": Inputs(),
    "bookings:booking-edit": Inputs(post="title description visibility start_time end_time scope"),
    "bookings:booking-translations": Inputs(post=TRANSLATIONS),
    "bookings:booking-cancel": Inputs(post="scope from confirm"),
    "bookings:booking-move": Inputs(
        query="scope from", post="date start_time end_time room scope override from"
    ),
    "bookings:series-detail": Inputs(query="page"),
    "bookings:series-extend": Inputs(),
    "bookings:series-translations": Inputs(post=TRANSLATIONS),
    "bookings:booking-approve": Inputs(post=DECISION),
    "bookings:booking-decline": Inputs(post=f"{DECISION} reason"),
    "bookings:date-release": Inputs(post="from"),
    "bookings:series-readd": Inputs(post="day"),
    "bookings:fair-use": Inputs(query="from to"),
    # --- seasons ------------------------------------------------------------------------
    "seasons:round-list": Inputs(),
    "seasons:round-create": Inputs(post=ROUND),
    "seasons:round-detail": Inputs(),
    "seasons:round-edit": Inputs(post=ROUND),
    "seasons:application-edit": Inputs(
        post="wishes-TOTAL_FORMS wishes-INITIAL_FORMS wishes-MIN_NUM_FORMS wishes-MAX_NUM_FORMS"
        f" {WISHES}"
    ),
    "seasons:proposal": Inputs(),
    "seasons:propose": Inputs(),
    "seasons:publish": Inputs(),
    "seasons:decisions-csv": Inputs(),
    "seasons:fair-use": Inputs(),
    "seasons:decision-edit": Inputs(post="outcome room weekday start_time reason"),
    "seasons:date-release": Inputs(post="answer"),
    "seasons:no-show": Inputs(post="note"),
    "seasons:waiting-create": Inputs(post="actor room weekday start_time end_time"),
    "seasons:offer": Inputs(post="answer"),
    "seasons:room-ask": Inputs(post="days_before"),
    # --- collaboration ------------------------------------------------------------------
    "collaboration:log": Inputs(query="form status"),
    "collaboration:create": Inputs(
        post="on_behalf_of title form others lead residents_co_create started ended phase"
        " description target_groups offers bookings goals-TOTAL_FORMS goals-INITIAL_FORMS"
        " goals-MIN_NUM_FORMS goals-MAX_NUM_FORMS goals-0-description goals-0-criterion"
        " goals-0-status"
    ),
    "collaboration:quick": Inputs(query="kind", post="kind on_behalf_of others day referrals what"),
    "collaboration:detail": Inputs(),
    "collaboration:edit": Inputs(
        post="title form form_changed_on lead residents_co_create started ended phase description"
    ),
    "collaboration:answer": Inputs(post="actor confirm note"),
    "collaboration:goal-judge": Inputs(post="status"),
    "collaboration:map": Inputs(query=PERIOD),
    "collaboration:map-csv": Inputs(query=PERIOD),
    "collaboration:summary": Inputs(query=f"{PERIOD} actor"),
    "collaboration:figures": Inputs(query=PERIOD),
    "signups:signup": Inputs(post="name email people note eligible website"),
    "signups:confirm": Inputs(),
    "signups:cancel": Inputs(),
    "signups:list": Inputs(),
    "signups:desk": Inputs(post="name phone email people note"),
    "signups:settings": Inputs(
        post="places opens_days_before closes_hours_before waiting_list per_person bring who"
        " who_note whole_series"
    ),
    "signups:attendance": Inputs(post="total children young adults seniors came"),
    "signups:entry-cancel": Inputs(),
    "collaboration:sharing": Inputs(query="category direction show"),
    "collaboration:sharing-create": Inputs(
        query="direction", post="actor direction category title description expires_on"
    ),
    "collaboration:sharing-detail": Inputs(),
    "collaboration:sharing-answer": Inputs(post="actor message"),
    "collaboration:sharing-done": Inputs(post="with_actor"),
    "collaboration:sharing-withdraw": Inputs(),
    "collaboration:sharing-translations": Inputs(post=TRANSLATIONS),
    "collaboration:council": Inputs(),
    "collaboration:council-member-create": Inputs(post=SEAT),
    "collaboration:council-member-edit": Inputs(post=SEAT),
    # The title and text in the page's language, and in each other one.
    "collaboration:rule-create": Inputs(
        post="title text title_da text_da title_en text_en title_ar text_ar"
    ),
    "collaboration:rule": Inputs(),
    "collaboration:rule-translations": Inputs(post="title_en title_ar text_en text_ar"),
    "collaboration:rule-vote": Inputs(
        post="votes_for votes_against votes_abstain voted_on meeting"
    ),
    "collaboration:rule-repeal": Inputs(post="repealed_on meeting"),
    "collaboration:meeting-create": Inputs(post=MEETING),
    "collaboration:meeting": Inputs(),
    "collaboration:meeting-edit": Inputs(post=MEETING),
    "collaboration:house-rules": Inputs(),
    "collaboration:digest-settings": Inputs(post="subscribed sections"),
    "collaboration:digest-preview": Inputs(query="language format"),
    "collaboration:digest-send-now": Inputs(post="confirm"),
    "collaboration:digest-resend": Inputs(post="delivery period"),
    "collaboration:digest-unsubscribe": Inputs(post="List-Unsubscribe"),
    # --- homes ----------------------------------------------------------------------------
    "homes:home": Inputs(),
    "homes:digest": Inputs(),
    "homes:digest-archive": Inputs(),
    "homes:digest-issue": Inputs(),
}


# --- the walks ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission matrix's world, made once for this module; rolled back after it."""
    with module_world(django_db_blocker) as built:
        yield built


@pytest.fixture(scope="module", autouse=True)
def _templates_uninstrumented():
    """Only status codes are read here: templates render as in production,
    without the test environment's copy of every template's context (as bench
    measures), which would add a third to the module's time."""
    instrumented = Template._render
    Template._render = lambda self, context: self.nodelist.render(context)
    yield
    Template._render = instrumented


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """One client per persona, signed in once for the module."""
    made = {}
    with django_db_blocker.unblock():
        for persona in PERSONAS:
            made[persona] = Client()
            if persona != "anonymous":
                made[persona].force_login(world["council" if persona == "council" else persona])
    return made


def _short(data: dict) -> dict:
    return {k: v[:12] + "…" if isinstance(v, str) and len(v) > 12 else v for k, v in data.items()}


class Findings(list):
    """The server errors found, each with the request that caused it."""

    def send(self, client, method: str, path: str, data: dict, label: str) -> None:
        send = client.get if method == "GET" else client.post
        try:
            with transaction.atomic():
                status = send(path, data).status_code
                transaction.set_rollback(True)
        except Exception as error:
            status = f"{type(error).__name__}: {str(error)[:120]}"
        else:
            if status < HTTPStatus.INTERNAL_SERVER_ERROR:
                return
        self.append(f"{label}: {method} {path[:60]} {_short(data)}: {status}")


def _kwargs(name: str, world) -> dict:
    entry = MATRIX[name]
    return entry.kwargs(world) if entry.kwargs else {}


def _bad_paths(name: str, world, *, reaching_the_view=False):
    """The URL with its argument replaced by each bad value; with
    ``reaching_the_view``, only those the URL's converter lets through (the
    others are a 404 before any view, whoever asks and however)."""
    kwargs = _kwargs(name, world)
    good = reverse(name, kwargs=kwargs or None)
    for key, value in kwargs.items():
        for bad in BAD_VALUES:
            path = good.replace(f"/{value}/", f"/{quote(bad, safe='')}/", 1)
            if reaching_the_view:
                try:
                    resolve(path.replace("%00", "\x00"))
                except Resolver404:
                    continue
            yield key, path


def _plausible(name: str, method: str, world) -> dict:
    """The permission matrix's request: its query string, or its payload."""
    entry = MATRIX[name]
    if method == "GET":
        return dict(parse_qsl(entry.query))
    return dict(entry.payload(world)) if entry.payload else {}


def _fields(name: str, method: str) -> list[str]:
    return (INPUTS[name].query if method == "GET" else INPUTS[name].post).split()


def _methods(name: str) -> tuple[str, ...]:
    return ("GET", "POST") if MATRIX[name].post else ("GET",)


def _furthest(name: str, method: str) -> str:
    """The persona that gets furthest: a coordinator where allowed, else the first allowed."""
    statuses = MATRIX[name].get if method == "GET" else MATRIX[name].post
    allowed = [p for p in PERSONAS if statuses[p] in (OK, ALLOWED)]
    return "coordinator" if not allowed or "coordinator" in allowed else allowed[0]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_one_bad_input_at_a_time(world, clients, name):
    """Each input with each bad value, the rest as a plausible request has them."""
    findings = Findings()
    path = reverse(name, kwargs=_kwargs(name, world) or None)
    for method in _methods(name):
        persona = _furthest(name, method)
        plausible = _plausible(name, method, world)
        for field in _fields(name, method):
            for bad in BAD_VALUES:
                data = {**plausible, field: bad}
                findings.send(clients[persona], method, path, data, persona)
        for key, bad_path in _bad_paths(name, world, reaching_the_view=method == "POST"):
            findings.send(clients[persona], method, bad_path, plausible, f"{persona} {key}")
    assert not findings, "\n".join(findings)


def _latin_square(fields, plausible: dict, rows: int = len(BAD_VALUES)):
    """Requests with every field bad; all twelve rows give each field each bad value once."""
    for row in range(rows):
        bad = {f: BAD_VALUES[(row + i) % len(BAD_VALUES)] for i, f in enumerate(fields)}
        yield {**plausible, **bad}


def _refused(name: str, method: str, persona: str) -> bool:
    statuses = MATRIX[name].get if method == "GET" else MATRIX[name].post
    return statuses[persona] not in (OK, ALLOWED)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_input_bad_at_once(world, clients, name):
    """As each persona: every input bad in each request, each with each bad value
    once. A persona the page refuses sends one such request (the refusal must
    still come before any input is read), and so does the one that walked one
    input at a time."""
    findings = Findings()
    path = reverse(name, kwargs=_kwargs(name, world) or None)
    bad_paths = list(_bad_paths(name, world, reaching_the_view=True))
    for persona, method in ((p, m) for p in PERSONAS for m in _methods(name)):
        plausible = _plausible(name, method, world)
        # The first walk gave the furthest persona every pair already.
        full = not _refused(name, method, persona) and persona != _furthest(name, method)
        rows = len(BAD_VALUES) if full else 1
        if fields := _fields(name, method):
            for data in _latin_square(fields, plausible, rows):
                findings.send(clients[persona], method, path, data, persona)
        for key, bad_path in bad_paths:
            findings.send(clients[persona], method, bad_path, plausible, f"{persona} {key}")
    assert not findings, "\n".join(findings)


# --- meta-tests ---------------------------------------------------------------------------------


def test_every_url_of_the_matrix_declares_its_inputs():
    assert INPUTS.keys() == MATRIX.keys()


class PageInputs(HTMLParser):
    """What a page sends on: each form's method, action and input names, and
    the links carrying a query string."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []
        self.links: list[str] = []
        self._names: set[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._names = set()
            method = (attrs.get("method") or "get").upper()
            self.forms.append((method, attrs.get("action") or "", self._names))
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            if self._names is not None:
                self._names.add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._names = None


def _sent(page_path: str, html: str):
    """(URL name, method, input names) for each form and link of a page."""
    parsed = PageInputs()
    parsed.feed(html)
    targets = [(method, action, names) for method, action, names in parsed.forms]
    for href in parsed.links:
        split = urlsplit(href)
        if not split.netloc:
            targets.append(("GET", href, {key for key, _value in parse_qsl(split.query)}))
    for method, action, names in targets:
        try:
            name = resolve(urlsplit(action).path or page_path).view_name
        except Resolver404:
            continue
        # A formset's rows are declared by their first.
        yield name, method, {re.sub(r"-\d+-", "-0-", n) for n in names}


def test_every_input_a_page_offers_is_declared(world, clients):
    """Every page's forms and links, as the personas who see the most: each
    input they send to a URL of the matrix is in ``INPUTS``."""
    undeclared = set()
    for persona in ("coordinator", "member_a", "council"):
        for name in sorted(MATRIX):
            if MATRIX[name].get[persona] != OK:
                continue
            path = reverse(name, kwargs=_kwargs(name, world) or None)
            response = clients[persona].get(path, _plausible(name, "GET", world))
            if "html" not in response.get("Content-Type", ""):
                continue
            for target, method, names in _sent(path, response.content.decode()):
                if target in INPUTS:
                    declared = set(_fields(target, method)) | {"csrfmiddlewaretoken"}
                    undeclared |= {(target, method, n) for n in names - declared}
    assert not undeclared, f"inputs the pages send that INPUTS lacks: {sorted(undeclared)}"
