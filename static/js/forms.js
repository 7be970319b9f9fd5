// Samhus's error summary (GOV.UK's pattern, templates/includes/_error_summary.html):
// focus it when the page loads, where the browser has not done so for its
// autofocus, and let each of its links move the focus to its field, with the
// field's label in view. Without JavaScript the links still scroll to the field.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) return;
  if (document.activeElement !== summary) summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    var fieldset = field.closest("fieldset");
    var label = (fieldset && fieldset.querySelector("legend")) ||
      document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
