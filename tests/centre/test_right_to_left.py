"""Arabic, written right to left: every language's catalogue complete, one
stylesheet for both directions (logical properties only), the page's and the
error page's direction, the switcher in each language's own name, and charts
that read from the right."""

import ast
import re

import pytest
from django.conf import settings
from django.utils import translation

from centre.charts import bar_chart, heat_grid
from tests.conftest import REPO

pytestmark = pytest.mark.django_db

# The msgids are English: English needs no translation of its own.
SOURCE_LANGUAGE = "en"

# A physical property names a side (left/right) where the reading direction
# should decide: margin-inline-start, inset-inline-end and text-align: start
# turn with the page. Each exception is (file, the declaration, why).
PHYSICAL = re.compile(
    r"(?<![-\w])(?:(?:margin|padding|border|scroll-margin|scroll-padding)-(?:left|right)"
    r"(?:-\w+)?|border-(?:top|bottom)-(?:left|right)-radius|left|right)\s*:"
    r"|(?:text-align|float|clear|caption-side|resize)\s*:\s*(?:left|right)\b",
    re.I,
)
ALLOWED: list[tuple[str, str, str]] = [
    # (none yet: add ("samhus.css", "left: 0", "why") only with a reason)
]


def _declarations(css: str):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for number, line in enumerate(css.splitlines(), 1):
        for match in PHYSICAL.finditer(line):
            rest = line[match.start() :].split(";")[0].split("}")[0].strip()
            yield number, rest


def test_no_physical_left_or_right_in_the_stylesheets():
    sheets = sorted((REPO / "static" / "css").glob("*.css"))
    assert sheets, "no stylesheets found"
    allowed = {(name, declaration) for name, declaration, _why in ALLOWED}
    found = [
        f"{sheet.name}:{number}: {declaration}"
        for sheet in sheets
        for number, declaration in _declarations(sheet.read_text())
        if (sheet.name, declaration) not in allowed
    ]
    assert found == [], "use logical properties (inline-start/end, inset-inline):\n" + "\n".join(
        found
    )


def test_the_physical_property_check_finds_what_it_should():
    css = """.a { margin-left: 1rem; } .b{padding-right:0} .c { text-align: right; }
    .d { left: 0; } .e { float: left } .f { border-right-width: 2px }
    /* margin-left: 1rem in a comment is fine */
    .ok { margin-inline-start: 1rem; inset-inline-end: 0; text-align: start; top: 0 }"""
    found = [declaration for _number, declaration in _declarations(css)]
    assert found == [
        "margin-left: 1rem",
        "padding-right:0",
        "text-align: right",
        "left: 0",
        "float: left",
        "border-right-width: 2px",
    ]


def _entries(text: str):
    """(context, msgid, [msgstr, …], fuzzy) of each entry of a .po file's text."""
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
            elif " " in line:
                key, value = line.split(" ", 1)
                fields[key] = ast.literal_eval(value)
        if fields.get("msgid"):
            forms = [value for name, value in fields.items() if name.startswith("msgstr")]
            yield fields.get("msgctxt"), fields["msgid"], forms, fuzzy


def _untranslated(language: str) -> list[str]:
    po = (REPO / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    return [
        (f"{context}|" if context else "") + msgid
        for context, msgid, forms, fuzzy in _entries(po)
        if fuzzy or not all(forms)
    ]


@pytest.mark.parametrize(
    "language", [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]
)
def test_every_language_offered_has_every_string_translated(language):
    """A language in LANGUAGES is offered to everyone: a string left out would
    show in another language (Django falls back to Danish)."""
    missing = _untranslated(language)
    assert missing == [], (
        f"{len(missing)} untranslated or fuzzy strings in locale/{language}, e.g. {missing[:5]}"
    )


def test_the_untranslated_check_finds_an_empty_a_fuzzy_and_a_half_plural(tmp_path, monkeypatch):
    folder = tmp_path / "locale" / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: xx\\n"\n\n'
        'msgid "Done"\nmsgstr "Færdig"\n\n'
        'msgctxt "verb"\nmsgid "Book"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Unsure"\nmsgstr "Usikker"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "én"\nmsgstr[1] ""\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr ""\n"Lang "\n"tekst"\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n'
    )
    monkeypatch.setattr(f"{__name__}.REPO", tmp_path)
    assert _untranslated("xx") == ["verb|Book", "Unsure", "one"]


def test_arabic_pages_are_right_to_left_and_danish_left_to_right(anonymous):
    arabic = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    danish = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert '<html lang="da" dir="ltr">' in danish


def test_the_error_page_sets_its_direction_too(anonymous):
    from django.template.loader import render_to_string

    with translation.override("ar"):
        assert '<html lang="ar" dir="rtl">' in render_to_string("500.html")
    with translation.override("da"):
        assert '<html lang="da" dir="ltr">' in render_to_string("500.html")


def test_the_switcher_names_each_language_in_its_own_words(anonymous):
    content = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    options = dict(re.findall(r'<option value="(\w+)" lang="\w+"[^>]*>([^<]+)</option>', content))
    assert options["da"] == "Dansk"
    assert options["en"] == "English"
    assert options["ar"].startswith("العربي"), options["ar"]


def test_phone_and_address_read_left_to_right_in_arabic_text(anonymous):
    from centre.models import Centre

    Centre.objects.update_or_create(pk=1, defaults={"phone": "33 12 34 56", "email": "a@b.dk"})
    content = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<a href="tel:33123456" dir="ltr">33 12 34 56</a>' in content
    assert '<a href="mailto:a@b.dk" dir="ltr">a@b.dk</a>' in content


def test_a_bar_chart_reads_from_the_right_in_arabic():
    items = [("Kaffeklubben", 10.0), ("Lektiecaféen", 5.0)]
    ltr = bar_chart(items, rtl=False)
    rtl = bar_chart(items, rtl=True)
    assert (ltr.bars[0].label_anchor, rtl.bars[0].label_anchor) == ("end", "start")
    for left, right in zip(ltr.bars, rtl.bars, strict=True):
        assert right.label_x == ltr.width - left.label_x
        assert right.x + right.width == pytest.approx(ltr.width - left.x)
        assert right.value_x == pytest.approx(ltr.width - left.value_x)
    # The bars start at the axis and grow to the left: the longest ends furthest left.
    assert rtl.bars[0].x < rtl.bars[1].x
    assert rtl.plot_x == ltr.width - ltr.plot_x
    with translation.override("ar"):
        assert bar_chart(items) == rtl
    with translation.override("da"):
        assert bar_chart(items) == ltr


def test_a_heat_grid_reads_from_the_right_in_arabic():
    values = [[1, 2, 3], [0, 4, 0]]
    ltr = heat_grid(["Mon", "Tue"], ["8", "9", "10"], values, rtl=False)
    rtl = heat_grid(["Mon", "Tue"], ["8", "9", "10"], values, rtl=True)
    first_ltr = min(ltr.cells, key=lambda cell: cell.x)
    first_rtl = max(rtl.cells, key=lambda cell: cell.x)
    assert (first_ltr.row, first_ltr.column) == (first_rtl.row, first_rtl.column) == (0, 0)
    assert rtl.row_labels[0].x > max(cell.x for cell in rtl.cells)
    assert rtl.row_labels[0].anchor == "start"
    assert rtl.column_labels[0].x > rtl.column_labels[-1].x
    with translation.override("ar"):
        assert heat_grid(["Mon", "Tue"], ["8", "9", "10"], values) == rtl


def test_charts_keep_their_anchors_inside_an_arabic_page():
    """An inline SVG inherits the page's direction, which turns text-anchor
    around: the charts are drawn left to right and mirrored by their geometry."""
    for name in ("_bar_chart.html", "_heat_grid.html"):
        assert 'direction="ltr"' in (REPO / "templates" / "includes" / name).read_text()
    network = (REPO / "templates" / "collaboration" / "_network.html").read_text()
    assert 'direction="ltr"' in network


TIME_RANGE = re.compile(r'(.{0,12})\{\{ [^{}]*\|time:"H:i" \}\}–\{\{ [^{}]*\|time:"H:i" \}\}')


def _unwrapped_time_ranges(text: str) -> list[str]:
    return [
        match.group(0)
        for match in TIME_RANGE.finditer(text)
        if not match.group(1).endswith('dir="ltr">')
    ]


def test_time_ranges_in_pages_and_mails_read_left_to_right():
    """10:00 to 12:00 inside Arabic text would show as 12:00 to 10:00: every range of
    two times in an HTML template sits right inside an element with dir="ltr"."""
    found = [
        f"{path.relative_to(REPO)}: {text}"
        for path in sorted((REPO / "templates").rglob("*.html"))
        for text in _unwrapped_time_ranges(path.read_text())
    ]
    assert found == []


# A date with its time, then a dash and the end time: the range of times is cut
# in two, its start outside any left-to-right element. Write the day, then the range.
DATETIME_THEN_TIME = re.compile(r'\|date:"\w*DATETIME_FORMAT" \}\}–\{\{ [^{}]*\|time:"H:i" \}\}')


def test_no_date_with_its_time_runs_into_an_end_time():
    found = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for pattern in ("*.html", "*.txt")
        for path in sorted((REPO / "templates").rglob(pattern))
        for match in DATETIME_THEN_TIME.finditer(path.read_text())
    ]
    assert found == []
    assert DATETIME_THEN_TIME.search('{{ a|date:"SHORT_DATETIME_FORMAT" }}–{{ b|time:"H:i" }}')


def test_the_time_range_check_finds_a_bare_range():
    bare = '<p>{{ a|time:"H:i" }}–{{ b|time:"H:i" }}</p>'
    wrapped = '<bdi dir="ltr">{{ a|time:"H:i" }}–{{ b|time:"H:i" }}</bdi>'
    assert _unwrapped_time_ranges(bare) and not _unwrapped_time_ranges(wrapped)


ARABIC_INDIC = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


def test_arabic_writes_latin_digits(anonymous):
    """The decision (docs/development.md): Latin digits, as on the house's Danish
    signs, phones and printed timetables; never Arabic-Indic ones."""
    po = (REPO / "locale" / "ar" / "LC_MESSAGES" / "django.po").read_text()
    assert ARABIC_INDIC.findall(po) == []
    page = anonymous.get("/calendar/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert ARABIC_INDIC.findall(page) == []
    assert ARABIC_INDIC.search("الساعة \u0661\u0660")


ARROW = re.compile(r"(.{0,40})[←→⟵⟶⇐⇒]")


def test_every_arrow_in_a_page_turns_with_the_reading_direction():
    """An arrow that points (previous, next, from → to) sits in a .dir-icon,
    which static/css/samhus.css turns around in a right-to-left language."""
    found = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in sorted((REPO / "templates").rglob("*.html"))
        if "/email/" not in str(path) and "/digest/" not in str(path)
        for match in ARROW.finditer(path.read_text())
        if not match.group(1).endswith(
            ('<span class="dir-icon">', 'class="dir-icon" aria-hidden="true">')
        )
    ]
    assert found == []
    css = (REPO / "static" / "css" / "samhus.css").read_text()
    assert '[dir="rtl"] .dir-icon { transform: scaleX(-1); }' in css


def test_a_heat_grids_spare_room_is_beyond_its_last_column_in_either_direction():
    ltr = heat_grid(["Mon"], ["8", "9"], [[1, 2]], edge=20, rtl=False)
    rtl = heat_grid(["Mon"], ["8", "9"], [[1, 2]], edge=20, rtl=True)
    assert ltr.width == rtl.width == 64 + 2 * 64 + 20
    assert max(cell.x + cell.width for cell in ltr.cells) == ltr.width - 20
    assert min(cell.x for cell in rtl.cells) == 20


def test_an_activity_page_in_arabic_writes_the_arabic_comma(client, booker, room, actor):
    """ "Wednesday 9 December, 17:00 to 19:00": after the date, the series' rule
    and each next date's day, and between the languages and the themes, Arabic has
    its own comma (U+060C); the next dates' times read left to right. Danish
    keeps its comma."""
    from actors.models import Language, Theme
    from tests.factories import series_dates, weekly_series

    first = series_dates(weekly_series(booker, room, actor, weeks=3))[0]
    first.languages.set(Language.objects.filter(slug__in=["da", "so"]))
    first.themes.set(Theme.objects.order_by("pk")[:2])
    url = f"/calendar/activities/{first.pk}/"
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    article = arabic[arabic.index("<article") : arabic.index("</article>")]
    assert '</time>، <bdi dir="ltr"><time' in article
    assert article.count('، <bdi dir="ltr">17:00–19:00</bdi>') == 3  # the rule, two next dates
    assert article.count("، ") == 1 + 3 + 2  # and one between the languages, one the themes
    assert ", " not in article
    danish = client.get(url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert '</time>, <bdi dir="ltr"><time' in danish
    assert danish.count(', <bdi dir="ltr">17:00–19:00</bdi>') == 3
    assert "، " not in danish


def test_a_list_is_joined_by_the_languages_comma_and_escaped():
    from django.template import Context, Template

    template = Template("{{ names|join_comma }}")
    names = ["Café <Sumak>", "Basen"]
    with translation.override("ar"):
        assert template.render(Context({"names": names})) == "Café &lt;Sumak&gt;، Basen"
    with translation.override("da"):
        assert template.render(Context({"names": names})) == "Café &lt;Sumak&gt;, Basen"


# A list written item by item with a Latin comma between: Arabic has its own.
LATIN_COMMA_IN_A_LIST = re.compile(r'\{% if not forloop\.last %\}, \{% endif %\}|\|join:", "')


def test_no_list_in_a_page_is_joined_by_a_latin_comma():
    """Lists written in a template take the page's language's comma: ``{% comma %}``
    between items or ``|join_comma`` (Danish and English keep ", ")."""
    found = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for pattern in ("*.html", "*.txt")
        for path in sorted((REPO / "templates").rglob(pattern))
        for match in LATIN_COMMA_IN_A_LIST.finditer(path.read_text())
    ]
    assert found == []
    assert LATIN_COMMA_IN_A_LIST.search("{{ x }}{% if not forloop.last %}, {% endif %}")


def test_the_houses_address_in_the_footer_takes_the_arabic_comma(client):
    from centre.models import Centre

    Centre.objects.update_or_create(
        pk=1,
        defaults={"name": "Samhus", "address": "Torvet 1", "postcode": "2650", "city": "Hvidovre"},
    )
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "Torvet 1، 2650 Hvidovre" in arabic
    assert "Torvet 1, 2650 Hvidovre" in client.get("/", HTTP_ACCEPT_LANGUAGE="da").content.decode()


def test_an_e_mail_address_in_an_arabic_sentence_reads_left_to_right(member_client, member):
    html = member_client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert f'<bdi dir="ltr">{member.email}</bdi>' in html


def test_no_page_writes_a_date_and_time_in_one_format():
    """A date with its time in an HTML page goes through ``date_and_time``, which
    keeps the time left to right: Django's DATETIME formats write both in one
    string that an Arabic page would turn round."""
    found = [
        f"{path.relative_to(REPO)}: {line.strip()[:80]}"
        for path in (REPO / "templates").rglob("*.html")
        for line in path.read_text().splitlines()
        if re.search(r'date:"(SHORT_)?DATETIME_FORMAT"', line)
    ]
    assert not found, found
