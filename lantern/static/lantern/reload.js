// Reload the page after data-reload-after milliseconds (a PDF being built shows its progress).
// A file rather than an inline script, so that the Content-Security-Policy allows no inline code.
(function () {
  "use strict";
  var script = document.currentScript;
  var after = parseInt((script && script.getAttribute("data-reload-after")) || "3000", 10);
  window.setTimeout(function () { window.location.reload(); }, after);
})();
