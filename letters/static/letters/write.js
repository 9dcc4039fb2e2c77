// Letter form: insert a ready text at the cursor, and count characters against the limit.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.template");
    if (!button) return;
    var area = document.getElementById(button.dataset.target);
    if (!area) return;
    var text = button.dataset.text;
    var start = area.selectionStart, end = area.selectionEnd;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + text.length;
    area.dispatchEvent(new Event("input"));
  });
  document.querySelectorAll("[data-count-for]").forEach(function (out) {
    var area = document.getElementById(out.dataset.countFor);
    var limit = parseInt(out.dataset.limit, 10);
    if (!area) return;
    function update() { out.textContent = area.value.length + " / " + limit; }
    area.addEventListener("input", update);
    update();
  });
})();
