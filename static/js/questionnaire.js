// Progressive enhancement for the questionnaire; every page works without it.
(function () {
  "use strict";

  // Move focus to the error summary so keyboard and screen-reader users hear what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  // "7 of 12 skills rated" under a rating form, updated as the user answers.
  var form = document.querySelector("[data-rating-form]");
  var counter = form && form.querySelector("[data-rated-count]");
  if (form && counter) {
    var groups = form.querySelectorAll("fieldset.sg-rating");
    var update = function () {
      var rated = form.querySelectorAll("fieldset.sg-rating input[type=radio]:checked").length;
      counter.textContent = rated + " of " + groups.length + " skills rated on this page.";
    };
    counter.hidden = false;
    update();
    form.addEventListener("change", update);
  }

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
