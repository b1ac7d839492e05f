// "These members know each other": keep the count of ticked members and their n(n−1)/2
// relations up to date while ticking. No inline handlers (strict CSP); without JavaScript
// the page shows the count for the members ticked when it was drawn.
(function () {
  "use strict";
  function update(form) {
    var out = form.querySelector("[data-group-count]");
    if (!out) return;
    var n = form.querySelectorAll('input[name="people"]:checked').length;
    var text = n === 1 ? out.dataset.one : out.dataset.many;
    out.textContent = text.replace("{n}", n).replace("{pairs}", (n * (n - 1)) / 2);
  }
  function ready() {
    document.querySelectorAll("[data-group-form]").forEach(function (form) {
      form.addEventListener("change", function () { update(form); });
    });
  }
  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
