/* Samhus calendar: after htmx swaps in another period or filter, tell the
   reader. The page title follows the calendar, the number of activities is
   announced in a live region that stays in the page, and focus moves to the
   calendar's heading (the link that was pressed has been replaced). */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function () {
    // The calendar is the only thing htmx swaps on its pages.
    var calendar = document.getElementById("calendar");
    if (!calendar) {
      return;
    }
    if (calendar.dataset.pageTitle) {
      // Keep the site's name, which follows the last " · ".
      var site = document.title.lastIndexOf(" · ");
      document.title = calendar.dataset.pageTitle + (site >= 0 ? document.title.slice(site) : "");
    }
    var status = document.getElementById("calendar-announcement");
    if (status && calendar.dataset.announcement) {
      status.textContent = calendar.dataset.announcement;
    }
    var fromFilter = document.activeElement && document.activeElement.closest && document.activeElement.closest("form.filters");
    if (!fromFilter) {
      var heading = document.getElementById("calendar-title");
      if (heading) {
        heading.focus();
      }
    }
  });
})();
