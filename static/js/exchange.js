// Import page: say at once when a chosen file is over the size limit (the server checks too).
(function () {
  "use strict";

  function init() {
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      var message = input.form && input.form.querySelector("[data-size-message]");
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        var tooBig = !!file && file.size > Number(input.dataset.maxBytes);
        if (message) message.hidden = !tooBig;
        input.setCustomValidity(tooBig ? message.textContent : "");
        input.setAttribute("aria-invalid", tooBig ? "true" : "false");
      });
      if (input.form) {
        input.form.addEventListener("submit", function (event) {
          var file = input.files && input.files[0];
          if (file && file.size > Number(input.dataset.maxBytes)) {
            event.preventDefault();
            if (message) message.hidden = false;
            input.focus();
          }
        });
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
