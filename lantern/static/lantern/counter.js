// Live counter: refreshes the total and top countries from the totals API without a reload.
(function () {
  "use strict";
  var box = document.querySelector("[data-counter-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-counter-url");
  var every = parseInt(box.getAttribute("data-counter-every") || "5000", 10);
  var top = parseInt(box.getAttribute("data-counter-top") || "5", 10);
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var totalEl = box.querySelector("[data-counter-total]");
  var countriesEl = box.querySelector("[data-counter-countries]");
  var listEl = box.querySelector("[data-counter-list]");

  function render(data) {
    totalEl.textContent = format.format(data.total);
    totalEl.setAttribute("data-value", String(data.total));
    if (countriesEl) { countriesEl.textContent = format.format(data.countries); }
    if (listEl) {
      listEl.replaceChildren.apply(listEl, data.by_country.slice(0, top).map(function (row) {
        var li = document.createElement("li");
        li.textContent = row.name + ": " + format.format(row.count);
        return li;
      }));
    }
  }

  function refresh() {
    fetch(url, { headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function (error) {
        // Keep the last figures and try again on the next tick; say why for whoever looks.
        if (window.console) { window.console.warn("Lantern counter:", error); }
      })
      .finally(function () { window.setTimeout(refresh, every); });
  }
  window.setTimeout(refresh, every);
})();
