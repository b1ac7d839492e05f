// Assetmap's small behaviours. No inline handlers anywhere (strict CSP): wire them here.
(function () {
  "use strict";

  function autosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (select.dataset.autosubmitBound) return;
      select.dataset.autosubmitBound = "1";
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
  }

  function confirmations(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.confirmBound) return;
      form.dataset.confirmBound = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  }

  function init(root) {
    autosubmit(root);
    confirmations(root);
  }

  // On a phone the navigation scrolls sideways: keep the current page's link in view.
  function currentNavInView() {
    var nav = document.querySelector(".nav ul");
    var current = nav && nav.querySelector('[aria-current="page"]');
    if (!current || nav.scrollWidth <= nav.clientWidth) return;
    nav.scrollLeft = current.parentNode.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); currentNavInView(); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });

  // A failed HTMX request shows a readable message instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status === 422) return; // forms re-render with their own messages
    var box = document.querySelector(".messages") || document.createElement("div");
    box.className = "messages";
    box.setAttribute("role", "alert");
    box.textContent = document.documentElement.lang === "en"
      ? "Something went wrong (" + xhr.status + "). Nothing you typed is lost; try again."
      : "Er ging iets mis (" + xhr.status + "). Wat je typte is niet verloren; probeer het opnieuw.";
    var main = document.getElementById("main");
    if (!box.parentNode && main) main.prepend(box);
  });
})();
