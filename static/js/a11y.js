// After an update the user started, focus lands somewhere meaningful and a polite live region
// says what happened. One script for every HTMX swap on every page; pages only add data:
//
// - data-announce="text" on an element of the swapped content: read out after the swap
//   ("Pagina 2 van 7"). Several in one fragment: the one whose data-announce-slot matches the
//   slot the user acted in (the pagination they pressed), else the first.
// - an HX-Trigger header {"announce": {"message": "text"}} (neighbourhoods.http.announce):
//   read out after the swap ("Gave toegevoegd: Taarten bakken").
// - data-focus on an element of the swapped content: focus goes there (the added item).
//   Without it focus goes to the first field with an error, else the first heading (or the
//   one link in it), else the first link of a list or table, else the swapped element.
// Focus moves only when the swap took it away (the element that had it is gone); typing in
// a field that updates a list elsewhere keeps focus where it is.
//
// Sticky bars ([data-sticky], the draft's save status) never cover what has focus: the page
// keeps scroll-padding-top at the bar's height, and moves a covered focused element clear.
// No inline handlers, no hx-on (strict CSP).
(function () {
  "use strict";

  var pending = null; // {message, slot, active} of the request on its way

  function region() { return document.getElementById("announcer"); }

  function announce(text) {
    var live = region();
    if (!live || !text) return;
    live.textContent = "";
    // a change of text, a moment after clearing it, is read out even when it repeats
    window.setTimeout(function () { live.textContent = text; }, 60);
  }

  function within(root, selector) {
    if (root.matches && root.matches(selector)) return root;
    return root.querySelector(selector);
  }

  function focusable(el) {
    return el.matches("a[href], button, input, select, textarea, [tabindex]") && !el.disabled;
  }

  function focusTarget(root) {
    var marked = within(root, "[data-focus]");
    if (marked) return marked;
    var invalid = root.querySelector('[aria-invalid="true"], .has-error input, .has-error select, .has-error textarea');
    if (invalid) return invalid;
    var heading = root.querySelector("h1, h2, h3");
    if (heading) {
      var links = heading.querySelectorAll("a[href]");
      return links.length === 1 ? links[0] : heading;
    }
    return root.querySelector("li a[href], td a[href]") || root;
  }

  function inView(el) {
    var box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }

  // The new content from its start when that is off screen (the list of page 2 from its
  // top), and the focused element whole, with its ring (scroll-margin in app.css).
  function moveFocus(el, root) {
    if (!focusable(el)) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
    if (root !== el && root.getBoundingClientRect().top < 0) root.scrollIntoView({ block: "start" });
    if (!inView(el)) el.scrollIntoView({ block: "nearest" });
    clearOfSticky(el);
  }

  function focusLost(before) {
    var now = document.activeElement;
    return !now || now === document.body || (before && !before.isConnected);
  }

  function announcement(root, slot) {
    var found = slot && within(root, '[data-announce-slot="' + slot + '"][data-announce]');
    found = found || within(root, "[data-announce]");
    return found ? found.getAttribute("data-announce") : "";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var slotted = elt && elt.closest && elt.closest("[data-announce-slot]");
    pending = {
      message: "",
      slot: slotted ? slotted.getAttribute("data-announce-slot") : "",
      active: document.activeElement
    };
  });

  // neighbourhoods.http.announce(response, text): HX-Trigger {"announce": {"message": text}}
  document.addEventListener("announce", function (event) {
    var message = event.detail && (event.detail.message || event.detail.value);
    if (pending) pending.message = message;
    else announce(message);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    var request = pending;
    pending = null;
    if (!request || !root || !root.isConnected) return;
    var message = request.message || announcement(root, request.slot);
    if (message) announce(message);
    if (focusLost(request.active)) moveFocus(focusTarget(root), root);
  });

  // ---------------------------------------------------------------- sticky bars
  function stickies() { return document.querySelectorAll("[data-sticky]"); }

  function stickyBottom() {
    var bottom = 0;
    stickies().forEach(function (bar) {
      var top = parseFloat(window.getComputedStyle(bar).top) || 0;
      var rect = bar.getBoundingClientRect();
      if (rect.height && rect.top <= top + 1) bottom = Math.max(bottom, rect.bottom);
    });
    return bottom;
  }

  function clearOfSticky(el) {
    if (!el || el === document.body || !stickies().length) return;
    var covered = stickyBottom();
    var rect = el.getBoundingClientRect();
    if (covered && rect.top < covered + 4) window.scrollBy(0, rect.top - covered - 8);
  }

  function keepPadding() {
    var height = 0;
    stickies().forEach(function (bar) {
      var top = parseFloat(window.getComputedStyle(bar).top) || 0;
      height = Math.max(height, top + bar.getBoundingClientRect().height);
    });
    document.documentElement.style.setProperty("--sticky-top", height ? Math.ceil(height + 8) + "px" : "0px");
  }

  function watchStickies() {
    keepPadding();
    if (!window.ResizeObserver) return;
    var observer = new window.ResizeObserver(keepPadding);
    stickies().forEach(function (bar) { observer.observe(bar); });
  }

  document.addEventListener("focusin", function (event) {
    if (!stickies().length) return;
    window.requestAnimationFrame(function () { clearOfSticky(event.target); });
  });
  document.addEventListener("DOMContentLoaded", watchStickies);
  window.addEventListener("resize", keepPadding);
})();
