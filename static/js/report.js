// Progressive enhancement for the gap report: a "Print" button (printing works without it too).
(function () {
  "use strict";
  var actions = document.querySelector(".sg-actions");
  if (!actions || !window.print) { return; }
  var item = document.createElement("li");
  var button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-outline-secondary";
  button.textContent = "Print this report";
  button.addEventListener("click", function () { window.print(); });
  item.appendChild(button);
  actions.appendChild(item);
})();
