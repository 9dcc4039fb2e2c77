// Lantern's widget: the sign form and live counter of one campaign, on any website.
// It fills every <div data-lantern-widget="{campaign}"> on the page with a shadow root (so
// that no style leaks in or out), in the language of the element's `data-lang`, else of the
// nearest `lang` attribute, and talks to the Lantern server only. See docs/WIDGET.md.
(function (config) {
  "use strict";
  if (!window.fetch || !Element.prototype.attachShadow) { return; }

  function language(host) {
    var own = host.getAttribute("data-lang");
    if (own) { return own; }
    var scoped = host.closest("[lang]");
    return (scoped && scoped.getAttribute("lang")) || "";
  }

  function withLanguage(url, lang) {
    var u = new URL(url);
    u.searchParams.set("lang", lang);
    return u.toString();
  }

  function ask(url, options) {
    var settings = Object.assign({ credentials: "omit", mode: "cors", cache: "no-store" }, options);
    return fetch(url, settings).then(function (response) {
      return response.json();
    });
  }

  function mount(host) {
    if (host.shadowRoot) { return; }
    var root = host.attachShadow({ mode: "open" });
    var lang = language(host);
    var format = null;
    var timer = null;

    function numbers(value) {
      if (!format) {
        try { format = new Intl.NumberFormat(root.querySelector(".lantern").getAttribute("lang")); }
        catch (error) { format = new Intl.NumberFormat(); }
      }
      return format.format(value);
    }

    function show(html) {
      root.innerHTML = html;
      var form = root.querySelector("form");
      if (form) { form.addEventListener("submit", submit); }
      var focus = root.querySelector("[data-focus]");
      if (focus) { focus.focus(); }
    }

    function submit(event) {
      event.preventDefault();
      var form = event.target;
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      var body = new FormData(form);
      body.set("lang", lang);
      ask(config.sign, { method: "POST", body: body })
        .then(function (data) { show(data.html); refresh(); })
        .catch(function (error) {
          if (button) { button.disabled = false; }
          var alert = root.querySelector("[data-network-error]");
          if (alert) { alert.hidden = false; alert.focus(); }
          if (window.console) { window.console.warn("Lantern widget:", error); }
        });
    }

    function render(data) {
      var total = root.querySelector("[data-counter-total]");
      if (!total) { return; }
      total.textContent = numbers(data.total);
      total.setAttribute("data-value", String(data.total));
      var countries = root.querySelector("[data-counter-countries]");
      if (countries) { countries.textContent = numbers(data.countries); }
      var list = root.querySelector("[data-counter-list]");
      if (list) {
        list.replaceChildren.apply(list, data.top.slice(0, config.top).map(function (row) {
          var li = document.createElement("li");
          li.textContent = row.name + ": " + numbers(row.count);
          return li;
        }));
      }
    }

    function refresh() {
      window.clearTimeout(timer);
      ask(withLanguage(config.totals, lang), { headers: { "Accept": "application/json" } })
        .then(render)
        .catch(function (error) {
          // Keep the last figures and try again on the next tick.
          if (window.console) { window.console.warn("Lantern counter:", error); }
        })
        .finally(function () { timer = window.setTimeout(refresh, config.every); });
    }

    ask(withLanguage(config.form, lang), { headers: { "Accept": "application/json" } })
      .then(function (data) {
        show(data.html);
        timer = window.setTimeout(refresh, config.every);
      })
      .catch(function (error) {
        if (window.console) { window.console.warn("Lantern widget:", error); }
      });
  }

  function mountAll() {
    var hosts = document.querySelectorAll("[data-lantern-widget]");
    for (var i = 0; i < hosts.length; i += 1) {
      if (hosts[i].getAttribute("data-lantern-widget") === config.campaign) { mount(hosts[i]); }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})({{ config|safe }});
