// Lantern's proof-of-work: the vendored ALTCHA widget solves SHA-256 challenges in a worker
// served from Lantern's static files (the external build bundles no worker and no styles,
// so the page's Content-Security-Policy needs nothing but 'self').
var widget = document.querySelector("altcha-widget[data-worker]");
if (widget && globalThis.$altcha) {
  var worker = widget.getAttribute("data-worker");
  globalThis.$altcha.algorithms.set("SHA-256", function () { return new Worker(worker); });
}
