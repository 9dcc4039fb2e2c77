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

  // Proof-of-work (an ALTCHA v2 "SHA-256" challenge from Lantern): find the counter whose
  // key SHA-256(salt + nonce + counter), hashed `cost` times, starts with the key prefix.
  // It runs here rather than in a worker, since a partner's page cannot start a worker from
  // Lantern's origin; the hashes go in batches so that the page stays responsive.
  function bytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i += 1) { out[i] = parseInt(hex.substr(i * 2, 2), 16); }
    return out;
  }

  function hex(buffer) {
    return Array.prototype.map.call(buffer, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function derive(salt, nonce, counter, cost, length) {
    var data = new Uint8Array(salt.length + nonce.length + 4);
    data.set(salt, 0);
    data.set(nonce, salt.length);
    new DataView(data.buffer).setUint32(salt.length + nonce.length, counter, false);
    var round = function (input, left) {
      return crypto.subtle.digest("SHA-256", input).then(function (digest) {
        return left > 1 ? round(digest, left - 1) : new Uint8Array(digest).slice(0, length);
      });
    };
    return round(data, Math.max(1, cost));
  }

  function solve(challenge) {
    if (!window.crypto || !crypto.subtle) { return Promise.reject(new Error("no Web Crypto")); }
    var p = challenge.parameters;
    var salt = bytes(p.salt), nonce = bytes(p.nonce), prefix = bytes(p.keyPrefix);
    var started = Date.now();
    var BATCH = 64;
    function matches(key) {
      for (var i = 0; i < prefix.length; i += 1) { if (key[i] !== prefix[i]) { return false; } }
      return true;
    }
    function from(start) {
      var tries = [];
      for (var c = start; c < start + BATCH; c += 1) { tries.push(derive(salt, nonce, c, p.cost, p.keyLength || 32)); }
      return Promise.all(tries).then(function (keys) {
        for (var i = 0; i < keys.length; i += 1) {
          if (matches(keys[i])) {
            var solution = { counter: start + i, derivedKey: hex(keys[i]), time: Date.now() - started };
            return btoa(JSON.stringify({ challenge: challenge, solution: solution }));
          }
        }
        if (start > 0xffffffff) { throw new Error("no solution"); }
        return from(start + BATCH);
      });
    }
    return from(0);
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
      var status = root.querySelector("[data-pow-status]");
      var problem = root.querySelector("[data-problem]");
      if (button) { button.disabled = true; }
      if (problem) { problem.hidden = true; }
      if (status) { status.hidden = false; }
      function failed(error) {
        if (button) { button.disabled = false; }
        if (status) { status.hidden = true; }
        var alert = root.querySelector("[data-network-error]");
        if (alert) { alert.hidden = false; alert.focus(); }
        if (window.console) { window.console.warn("Lantern widget:", error); }
      }
      ask(config.challenge, { headers: { "Accept": "application/json" } })
        .then(solve)
        .then(function (payload) {
          var body = new FormData(form);
          body.set("lang", lang);
          body.set("altcha", payload);
          return ask(withLanguage(config.sign, lang), { method: "POST", body: body });
        })
        .then(function (data) {
          if (data.html) { show(data.html); refresh(); return; }
          // Refused before anything was stored: say why, and keep what was typed.
          if (button) { button.disabled = false; }
          if (status) { status.hidden = true; }
          if (problem) { problem.textContent = data.problem || ""; problem.hidden = false; problem.focus(); }
        })
        .catch(failed);
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
