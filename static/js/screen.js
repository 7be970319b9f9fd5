/* The lobby information screen (templates/bookings/screen.html).
 *
 * - A clock in the house's time zone, HH:MM on the 24-hour clock, updated every second.
 * - Every data-refresh-seconds (60 by default) it fetches the same address with
 *   partial=1 and swaps #screen-data for the fresh one in a single DOM operation,
 *   only when the answer arrived whole. Otherwise the old data stays and a polite
 *   live region says how old it is; the next attempt follows on schedule.
 *
 * - On a big screen (the landscape rules of screen.css), rooms and the programme
 *   that fill more than a page ([data-pages] with several .screen-page) show one
 *   page at a time and turn every data-page-seconds (15); the page turned to
 *   survives a refresh. A pause button (aria-pressed) stops the turning. On a
 *   phone, or without this file, every page is shown.
 *
 * - When the house has chosen several languages for the screen, each refresh
 *   asks for the next one (data-next-lang on #screen-data), so the data takes
 *   turns in them; the clock and the page around stay as they are.
 *
 * The words come translated from the page (data-stale-one, data-stale-other on
 * #screen-stale); this file only fills in the time and the number of minutes.
 * Written for the old browsers lobby screens tend to run: no modules, no arrows.
 */
(function () {
  "use strict";

  var body = document.body;
  var clock = document.getElementById("screen-clock");
  var notice = document.getElementById("screen-stale");
  var seconds = parseInt(body.getAttribute("data-refresh-seconds"), 10);
  var refreshMs = Math.max(2, isNaN(seconds) ? 60 : seconds) * 1000;
  var timeoutMs = Math.min(15000, Math.max(1500, refreshMs - 500));
  var timeZone = body.getAttribute("data-time-zone") || undefined;
  var language = document.documentElement.lang || "da";
  var dataLoadedAt = Date.now();
  var failing = false;
  var pageSeconds = parseInt(body.getAttribute("data-page-seconds"), 10);
  var pageMs = Math.max(5, isNaN(pageSeconds) ? 15 : pageSeconds) * 1000;
  var pauseButton = document.getElementById("screen-pause");
  var bigScreen = typeof window.matchMedia === "function" ?
    window.matchMedia("(min-width: 60em) and (min-height: 40em)") : null;
  var turned = 0;
  var paused = false;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  var formatter = null;
  try {
    formatter = new Intl.DateTimeFormat("en-GB", {
      hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: timeZone
    });
    if (typeof formatter.formatToParts !== "function") formatter = null;
  } catch (e) {
    formatter = null;
  }

  /* Hours, minutes and seconds now in the house's time zone (the device's if unknown). */
  function wallClock() {
    var now = new Date();
    if (formatter) {
      var parts = {};
      formatter.formatToParts(now).forEach(function (part) { parts[part.type] = part.value; });
      return [parts.hour === "24" ? "00" : parts.hour, parts.minute, parts.second];
    }
    return [pad(now.getHours()), pad(now.getMinutes()), pad(now.getSeconds())];
  }

  function pluralForm(n) {
    try {
      return new Intl.PluralRules(language).select(n);
    } catch (e) {
      return n === 1 ? "one" : "other";
    }
  }

  function staleText() {
    var data = document.getElementById("screen-data");
    var minutes = Math.max(0, Math.floor((Date.now() - dataLoadedAt) / 60000));
    var template = notice.getAttribute("data-stale-" + pluralForm(minutes)) ||
      notice.getAttribute("data-stale-other") || "";
    return template
      .replace("{time}", data ? data.getAttribute("data-generated-time") : "")
      .replace("{minutes}", String(minutes));
  }

  function showNotice() {
    if (!notice) return;
    var text = failing ? staleText() : "";
    // Only a change is written, so screen readers hear it once.
    if (notice.textContent !== text) notice.textContent = text;
  }

  function tick() {
    var hms = wallClock();
    var shown = hms[0] + ":" + hms[1];
    if (clock) {
      if (clock.textContent !== shown) clock.textContent = shown;
      clock.setAttribute("datetime", hms.join(":"));
    }
    showNotice();
    window.setTimeout(tick, 1000 - (Date.now() % 1000) + 20);
  }

  /* Show page number `turned` (modulo their number) of each set of pages, or
   * every page when the screen is small. */
  function showPages() {
    var paging = !!(bigScreen && bigScreen.matches);
    var several = false;
    var sets = document.querySelectorAll("[data-pages]");
    for (var i = 0; i < sets.length; i++) {
      var pages = sets[i].querySelectorAll(".screen-page");
      if (pages.length > 1) several = true;
      for (var j = 0; j < pages.length; j++) {
        pages[j].hidden = paging && j !== turned % pages.length;
      }
    }
    if (pauseButton) pauseButton.hidden = !(paging && several);
  }

  function turnPages() {
    if (!paused) {
      turned += 1;
      showPages();
    }
    window.setTimeout(turnPages, pageMs);
  }

  if (pauseButton) {
    pauseButton.addEventListener("click", function () {
      paused = !paused;
      pauseButton.setAttribute("aria-pressed", paused ? "true" : "false");
    });
  }
  if (bigScreen && typeof bigScreen.addListener === "function") bigScreen.addListener(showPages);

  /* The fragment's address; in the next of the house's languages when the
   * data shown names one (data-next-lang: the screen takes turns in them). */
  function partialUrl() {
    var query = window.location.search.replace(/^\?/, "");
    var data = document.getElementById("screen-data");
    var next = data ? data.getAttribute("data-next-lang") : null;
    var kept = query.split("&").filter(function (pair) {
      var name = pair.split("=")[0];
      return pair && name !== "partial" && !(next && name === "lang");
    });
    if (next) kept.push("lang=" + encodeURIComponent(next));
    kept.push("partial=1");
    return window.location.pathname + "?" + kept.join("&");
  }

  function fetchFragment() {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = window.setTimeout(function () {
      if (controller) controller.abort();
    }, timeoutMs);
    var options = { cache: "no-store", credentials: "same-origin", headers: { Accept: "text/html" } };
    if (controller) options.signal = controller.signal;
    return window.fetch(partialUrl(), options)
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        var fresh = parsed.getElementById("screen-data");
        var current = document.getElementById("screen-data");
        if (!fresh || !current) throw new Error("no screen data in the answer");
        current.parentNode.replaceChild(document.importNode(fresh, true), current);
        showPages();
      })
      .then(
        function () { window.clearTimeout(timer); },
        function (error) { window.clearTimeout(timer); throw error; }
      );
  }

  function refresh() {
    fetchFragment().then(
      function () {
        dataLoadedAt = Date.now();
        failing = false;
        showNotice();
        window.setTimeout(refresh, refreshMs);
      },
      function () {
        failing = true;
        showNotice();
        window.setTimeout(refresh, refreshMs);
      }
    );
  }

  tick();
  showPages();
  window.setTimeout(turnPages, pageMs);
  if (typeof window.fetch === "function" && typeof window.DOMParser === "function") {
    window.setTimeout(refresh, refreshMs);
  } else {
    // No fetch: reload the whole page, as the noscript refresh does.
    window.setTimeout(function () { window.location.reload(); }, refreshMs);
  }
})();
