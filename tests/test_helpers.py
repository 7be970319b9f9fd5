"""The tests' own helpers (tests/conftest.py) do what their docstrings say."""

from tests.conftest import submitted

PAGE = """
<form method="post" action="/i18n/setlang/"><input name="language" value="da"></form>
<form method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="t">
  <input name="title" value="Strik &amp; snak">
  <input name="locked" value="x" disabled>
  <input type="checkbox" name="city" checked>
  <input type="checkbox" name="empty" value="" checked>
  <input type="checkbox" name="off" value="1">
  <input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked>
  <input type="file" name="photo">
  <select name="room"><option value="">Any</option><option value="3">Salen</option></select>
  <select name="weekday"><option>Monday<option selected>Tuesday</select>
  <select name="themes" multiple><option value="a" selected>A</option><option value="b">B</option>
    <option value="c" selected>C</option></select>
  <select name="frozen" disabled><option value="1" selected>1</option></select>
  <textarea name="note">
Første linje
anden</textarea>
  <button type="submit" name="action" value="save">Save</button>
  <button type="submit" name="action" value="delete">Delete</button>
  <input type="submit" name="go" value="Go">
</form>
"""


def test_submitted_sends_what_a_browser_sends_for_the_unchanged_form():
    assert submitted(PAGE) == {
        "csrfmiddlewaretoken": ["t"],
        "title": ["Strik & snak"],
        "city": ["on"],
        "empty": [""],
        "size": ["m"],
        "room": [""],
        "weekday": ["Tuesday"],
        "themes": ["a", "c"],
        "note": ["Første linje\nanden"],
    }


def test_submitted_adds_the_button_clicked_and_finds_a_form_by_its_action():
    assert submitted(PAGE, button="action")["action"] == ["save"]
    assert submitted(PAGE, button="action=delete")["action"] == ["delete"]
    assert "action" not in submitted(PAGE, button="go")
    assert submitted(PAGE, button="go")["go"] == ["Go"]
    assert submitted(PAGE, action="/i18n/setlang/") == {"language": ["da"]}
