// Progressive enhancement for the questionnaire; every page works without it.
(function () {
  "use strict";

  // Move focus to the error summary so keyboard and screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // "7 of 12 answered" under a rating form (drawn by the server, right without this script),
  // kept up to date as the person answers; the paragraph is an aria-live region.
  var form = document.querySelector("[data-rating-form]");
  var counter = form && form.querySelector("[data-answered-count]");
  if (form && counter) {
    var number = counter.querySelector("[data-answered]");
    var update = function () {
      var answered = form.querySelectorAll("fieldset[data-rating] input[type=radio]:checked").length;
      if (number.textContent !== String(answered)) { number.textContent = String(answered); }
    };
    form.addEventListener("change", update);
  }

  // A warning before leaving a step whose answers changed since the page was drawn; saving
  // (or any submit of the form) is not leaving them behind.
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (guarded) {
    var changed = false;
    var mark = function () { changed = true; };
    guarded.addEventListener("change", mark);
    guarded.addEventListener("input", mark);
    guarded.addEventListener("submit", function () { changed = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!changed) { return; }
      event.preventDefault();
      event.returnValue = "";  // older browsers show their own words only when this is set
    });
  });

  // Enter in a field of the background step saves it, as on every other step; only Enter in
  // the job search searches (without this script, Enter searches and keeps what was typed).
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (step) {
    var search = step.querySelector("button[name=search_job]");
    var save = step.querySelector("button[type=submit]:not([name=search_job])");
    if (!search || !save) { return; }
    step.addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key !== "Enter" || field.tagName !== "INPUT" || field.name === "job_search") { return; }
      event.preventDefault();
      save.click();
    });
  });

  // One submission per click: a second click while the first is on its way does nothing.
  // (The server refuses a second submission anyway; this only saves a round trip.)
  document.querySelectorAll("form[data-submit-once]").forEach(function (once) {
    once.addEventListener("submit", function (event) {
      if (once.dataset.sent) { event.preventDefault(); return; }
      once.dataset.sent = "yes";
      var button = once.querySelector("button[type=submit]");
      if (button) { button.setAttribute("aria-disabled", "true"); }
    });
  });
})();
