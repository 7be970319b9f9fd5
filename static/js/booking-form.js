// Samhus's booking form: a free time's button fills in when the booking
// starts and ends (without JavaScript it posts the form back, which does the
// same), and each list of choices gets a filter that hides the options not
// matching what is typed (without JavaScript every option shows).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[name='slot'][data-start]");
    if (!button) return;
    var start = document.getElementById("id_start_time");
    var end = document.getElementById("id_end_time");
    if (!start || !end) return;
    event.preventDefault();
    start.value = button.dataset.start;
    end.value = button.dataset.end;
    start.dispatchEvent(new Event("change", { bubbles: true }));
    start.focus();
  });
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var list = document.getElementById(input.dataset.filter);
    if (!list) return;
    input.closest("label").hidden = false;
    input.addEventListener("input", function () {
      var wanted = input.value.trim().toLocaleLowerCase();
      Array.prototype.forEach.call(list.children, function (option) {
        option.hidden = wanted !== "" && option.textContent.toLocaleLowerCase().indexOf(wanted) === -1;
      });
    });
  });
})();
