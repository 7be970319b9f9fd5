"""The floors the calendar is measured against: the same rows written with
nothing else, from a plain Python list already in memory, through the same
middleware stack (the bench command serves them from `bench.urls`).

- `floor_html`: one template with one {% for %} loop and nothing else: no
  database, no includes, no tags;
- `floor_text`: the same rows written as lines of text."""

from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import include, path

# Filled by the bench command before it measures: dicts with title, time, room, actor.
ROWS: list[dict] = []

_TEMPLATE = Engine().from_string(
    "<ul>{% for row in rows %}<li>{{ row.time }} {{ row.title }} {{ row.room }} {{ row.actor }}</li>{% endfor %}</ul>"
)


def floor_html(request):
    return HttpResponse(_TEMPLATE.render(Context({"rows": ROWS})))


def floor_text(request):
    return HttpResponse(
        "".join(
            f"{row['start']}\t{row['end']}\t{row['title']}\t{row['room']}\t{row['actor']}\n"
            for row in ROWS
        ),
        content_type="text/plain; charset=utf-8",
    )


urlpatterns = [
    path("bench/floor.html", floor_html),
    path("bench/floor.txt", floor_text),
    path("", include("centre.urls")),
]
