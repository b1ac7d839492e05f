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

  // Logging out leaves nothing personal on this device. htmx keeps no page snapshots
  // (historyCacheSize 0), but its history keys go all the same; conversation text kept here
  // to send later (conversations.js) goes too, but never silently: the user agrees first.
  var DRAFTS = "assetmap:conversation:";
  var HTMX_KEYS = ["htmx-history-cache", "htmx-current-path-for-history"];

  function storedKeys(storage) {
    var found = [];
    for (var i = 0; i < storage.length; i++) found.push(storage.key(i));
    return found;
  }

  function unsentDrafts() {
    // what this device could not store is kept by the open conversation page only
    if (document.querySelector('#save-status[data-state="unkept"]')) return true;
    try {
      return storedKeys(window.localStorage).some(function (key) { return key.indexOf(DRAFTS) === 0; });
    } catch (e) {
      return false; // storage blocked: nothing was kept here
    }
  }

  function forgetThisDevice() {
    // the offline conversation page kept by the service worker (static/js/sw.js)
    if (window.caches) window.caches.delete("assetmap-offline-v1").catch(function () {});
    ["localStorage", "sessionStorage"].forEach(function (name) {
      try {
        var storage = window[name];
        storedKeys(storage).forEach(function (key) {
          if (key.indexOf(DRAFTS) === 0 || HTMX_KEYS.indexOf(key) !== -1) storage.removeItem(key);
        });
      } catch (e) { /* blocked: nothing was kept */ }
    });
  }

  function logout(root) {
    root.querySelectorAll("form[data-logout]").forEach(function (form) {
      if (form.dataset.logoutBound) return;
      form.dataset.logoutBound = "1";
      form.addEventListener("submit", function (event) {
        if (unsentDrafts() && !window.confirm(form.dataset.logout)) {
          event.preventDefault(); // stay signed in; the unsent text stays too
          return;
        }
        forgetThisDevice();
      });
    });
  }

  function init(root) {
    autosubmit(root);
    confirmations(root);
    logout(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
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
