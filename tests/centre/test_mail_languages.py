"""Every mail Samhus sends, in Arabic: each string of every template of the
mail (every branch, the layout and what it includes) is in the Arabic
catalogue, and the rendered mail is Arabic with its HTML part right to left.
allauth's mails (address confirmation, password reset, two-factor) are read
the same way: their words come from allauth's own Arabic catalogue."""

import datetime
from pathlib import Path

import allauth
import pytest
from django.template import Context, Engine
from django.template.base import Variable
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from centre import mail
from tests.conftest import REPO

pytestmark = pytest.mark.django_db

LANGUAGE = "ar"
ALLAUTH = Path(allauth.__file__).parent / "templates"
# Each Samhus mail: centre.mail.message(template=…) reads <name>_subject.txt, .txt and .html.
SAMHUS_MAILS = sorted(
    str(path.relative_to(REPO / "templates"))[: -len("_subject.txt")]
    for path in (REPO / "templates").glob("**/*_subject.txt")
    if path.parent.parent.name != "account"
)
# allauth's: <name>_subject.txt and <name>_message.txt (templates/account/email/
# overrides some of them in Samhus's words; the engine finds those first).
ALLAUTH_MAILS = sorted(
    str(path.relative_to(ALLAUTH))[: -len("_subject.txt")]
    for folder in ("account/email", "mfa/email")
    for path in (ALLAUTH / folder).glob("*_subject.txt")
)


def test_the_mails_are_found():
    assert {"bookings/email/decision", "collaboration/digest/digest"} <= set(SAMHUS_MAILS)
    assert "account/email/password_reset_key" in ALLAUTH_MAILS
    assert len(SAMHUS_MAILS) >= 15


def _walk(nodes):
    for node in nodes:
        yield node
        for name in getattr(node, "child_nodelists", ("nodelist",)):
            yield from _walk(getattr(node, name, None) or [])
        if hasattr(node, "conditions_nodelists"):  # {% if %}: every branch
            for _condition, branch in node.conditions_nodelists:
                yield from _walk(branch)


def _literal(expression) -> str | None:
    var = getattr(expression, "var", None)
    if isinstance(var, str):  # a quoted constant, e.g. an include's template name
        return var
    return var.literal if isinstance(var, Variable) and var.lookups is None else None


def msgids(name: str, engine: Engine, seen: set[str] | None = None) -> set[tuple]:
    """(context, singular, plural) of every string the template ``name`` (and
    what it extends and includes by name) translates, in every branch."""
    seen = set() if seen is None else seen
    if name in seen:
        return set()
    seen.add(name)
    template = engine.get_template(name)
    found = set()
    for node in _walk(template.nodelist):
        if isinstance(node, TranslateNode) and not node.noop:
            text = _literal(node.filter_expression)
            if text is not None:
                found.add((_literal(node.message_context), text, None))
        elif isinstance(node, BlockTranslateNode):
            singular, _vars = node.render_token_list(node.singular)
            plural = node.render_token_list(node.plural)[0] if node.plural else None
            found.add((_literal(node.message_context), singular, plural))
        elif isinstance(node, IncludeNode | ExtendsNode):
            target = node.template if isinstance(node, IncludeNode) else node.parent_name
            other = _literal(target)
            if other:
                found |= msgids(other, engine, seen)
    return found


def missing_in(language: str, strings: set[tuple]) -> list[str]:
    catalogue = translation.trans_real.translation(language)._catalog
    missing = []
    for context, singular, plural in strings:
        key = f"{context}\x04{singular}" if context else singular
        if plural is None:
            found = catalogue.get(key) or catalogue.get((key, 0))
        else:
            found = all(catalogue.get((key, form)) for form in range(6 if language == "ar" else 2))
        if not found:
            missing.append(singular)
    return sorted(missing)


def _mail_templates(mail_name: str, root: Path, suffixes: tuple[str, ...]) -> list[str]:
    return [
        f"{mail_name}{suffix}" for suffix in suffixes if (root / f"{mail_name}{suffix}").exists()
    ]


@pytest.mark.parametrize("name", SAMHUS_MAILS)
def test_every_string_of_every_samhus_mail_is_in_arabic(name):
    engine = Engine.get_default()
    strings = set()
    for template in [
        *_mail_templates(name, REPO / "templates", ("_subject.txt", ".txt", ".html")),
        "email/layout.html",
        "email/from_text.html",
    ]:
        strings |= msgids(template, engine)
    assert strings
    assert missing_in(LANGUAGE, strings) == []


@pytest.mark.parametrize("name", ALLAUTH_MAILS)
def test_every_string_of_every_allauth_mail_is_in_arabic(name):
    engine = Engine.get_default()
    strings = set()
    for template in _mail_templates(name, ALLAUTH, ("_subject.txt", "_message.txt")):
        strings |= msgids(template, engine)
    assert strings
    assert missing_in(LANGUAGE, strings) == []


def test_the_string_finder_reads_every_branch_and_the_included_templates(tmp_path, settings):
    (tmp_path / "part.txt").write_text('{% load i18n %}{% translate "Reason" %}')
    (tmp_path / "mail.txt").write_text(
        "{% load i18n %}{% if a %}{% translate 'First date' %}{% else %}"
        "{% blocktranslate trimmed count n=b %}{{ n }} date{% plural %}{{ n }} dates"
        "{% endblocktranslate %}{% endif %}{% include 'part.txt' %}"
        '{% translate "Not in any catalogue, surely" %}'
    )
    engine = Engine(dirs=[str(tmp_path)], libraries={"i18n": "django.templatetags.i18n"})
    strings = msgids("mail.txt", engine)
    assert strings == {
        (None, "First date", None),
        (None, "%(n)s date", "%(n)s dates"),
        (None, "Reason", None),
        (None, "Not in any catalogue, surely", None),
    }
    assert missing_in("da", strings) == ["%(n)s date", "Not in any catalogue, surely"]


class Anything(int):
    """A context value for any name a mail's template asks for: a number (for
    counts and ids), a word when written, a pair when looped over or unpacked."""

    def __new__(cls):
        return super().__new__(cls, 2)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Anything()

    def __getitem__(self, key):
        return Anything()

    def __call__(self, *args, **kwargs):
        return Anything()

    def __iter__(self):
        return iter([Anything(), Anything()])

    def __len__(self):
        return 2

    def __str__(self):
        return "x"


class AnyContext(dict):
    def __missing__(self, key):
        return Anything()

    def __contains__(self, key):
        return True


class Misses:
    """Records every msgid looked up in ``language`` that its catalogue lacks."""

    def __init__(self, language: str):
        self.language, self.found = language, []

    def __enter__(self):
        self.gettext, self.ngettext = DjangoTranslation.gettext, DjangoTranslation.ngettext
        misses = self

        def gettext(translation_, message):
            if translation_.language() == misses.language and message:
                catalogue = translation_._catalog
                if not (catalogue.get(message) or catalogue.get((message, 0))):
                    misses.found.append(message)
            return misses.gettext(translation_, message)

        def ngettext(translation_, singular, plural, number):
            if translation_.language() == misses.language:
                try:
                    translation_._catalog.plural(singular, number)
                except KeyError:
                    misses.found.append(singular)
            return misses.ngettext(translation_, singular, plural, number)

        DjangoTranslation.gettext, DjangoTranslation.ngettext = gettext, ngettext
        return self

    def __exit__(self, *exc):
        DjangoTranslation.gettext, DjangoTranslation.ngettext = self.gettext, self.ngettext


@pytest.mark.parametrize("name", SAMHUS_MAILS)
def test_every_samhus_mail_renders_in_arabic_right_to_left(name):
    with Misses(LANGUAGE) as misses:
        message = mail.message(
            to=["beboer@example.org"], template=name, context=AnyContext(), language=LANGUAGE
        )
    html = message.alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html
    assert message.subject.strip()
    assert misses.found == []


def test_a_mail_in_danish_is_left_to_right_and_the_recorder_hears_a_miss():
    message = mail.message(
        to=["beboer@example.org"], template=SAMHUS_MAILS[0], context=AnyContext(), language="da"
    )
    assert '<html lang="da" dir="ltr">' in message.alternatives[0][0]
    with Misses("da") as misses, translation.override("da"):
        translation.gettext("Not in any catalogue, surely")
        translation.gettext("Reason")
    assert misses.found == ["Not in any catalogue, surely"]


@pytest.mark.parametrize("name", ALLAUTH_MAILS)
def test_every_allauth_mail_renders_in_arabic(name):
    engine = Engine.get_default()
    with Misses(LANGUAGE) as misses, translation.override(LANGUAGE):
        for template in _mail_templates(name, ALLAUTH, ("_subject.txt", "_message.txt")):
            text = engine.get_template(template).render(Context(AnyContext()))
            assert text.strip()
    assert misses.found == []


def test_times_in_a_plain_text_mail_stay_left_to_right_in_arabic():
    template = Engine.get_default().from_string(
        '{% filter left_to_right %}{{ a|time:"H:i" }}–{{ b|time:"H:i" }}{% endfilter %}'
    )
    context = Context({"a": datetime.time(10), "b": datetime.time(12)}, autoescape=False)
    with translation.override("ar"):
        assert template.render(context) == "\u206610:00–12:00\u2069"
    with translation.override("da"):
        assert template.render(context) == "10:00–12:00"
    # Every range of two times in a text mail is inside the filter.
    for path in (REPO / "templates").rglob("*.txt"):
        for line in path.read_text().splitlines():
            if '|time:"H:i" }}–{{' in line:
                assert "{% filter left_to_right %}{{" in line, path
