// Tag suggestions: a click on a suggested tag completes the word being typed.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("#tag-suggestions [data-tag]");
    if (!button) return;
    var input = document.querySelector("[data-tag-input]");
    if (!input) return;
    var parts = input.value.split(",");
    parts[parts.length - 1] = " " + button.dataset.tag;
    input.value = parts.map(function (part) { return part.trim(); })
      .filter(function (part) { return part !== ""; }).join(", ") + ", ";
    document.getElementById("tag-suggestions").replaceChildren();
    input.focus();
  });
})();
