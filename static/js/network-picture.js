// The network picture is drawn by the server (no physics here). On a wide screen it opens by
// itself; on a phone the figures, groups and lists come first and the graph is one tap away.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var wide = window.matchMedia("(min-width: 48rem)").matches;
    var focused = /[?&](focus|group)=/.test(window.location.search);
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      if (wide || focused) details.open = true;
    });
  });
})();
