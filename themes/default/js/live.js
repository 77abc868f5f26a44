// folio serve: live reload. Listens to the server's events: reloads this page when a
// rebuild changed it (keeping the scroll position), swaps stylesheets when only CSS
// changed, and shows build errors in an overlay that clears itself once fixed.
(function () {
  "use strict";
  var path = location.pathname.replace(/\/$/, "/index.html");
  var key = "folio-scroll:" + path;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, Number(saved)); });
  }
  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  function overlay(errors) {
    var box = document.getElementById("folio-error-overlay");
    if (!errors.length) {
      if (box) { box.remove(); }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "folio-error-overlay";
      document.body.appendChild(box);
    }
    box.innerHTML = "<strong>Build failed</strong><ul>" + errors.map(function (e) {
      return "<li><code>" + escape(e.location) + "</code> " + escape(e.message) + (e.hint ? "<br><em>" + escape(e.hint) + "</em>" : "") + "</li>";
    }).join("") + "</ul>";
  }
  var script = document.currentScript || document.querySelector('script[src="/__folio/live.js"]');
  var generation = script ? Number(script.dataset.generation) : 0;
  var events = new EventSource("/__folio/events");
  events.addEventListener("open", function () { document.documentElement.dataset.folioLive = "connected"; });
  events.addEventListener("hello", function (event) {
    if (JSON.parse(event.data).generation !== generation) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    }
  });
  events.addEventListener("reload", function (event) {
    var data = JSON.parse(event.data);
    overlay([]);
    if (data.all || data.changed.indexOf(path) >= 0) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    }
  });
  events.addEventListener("css", function (event) {
    var renamed = JSON.parse(event.data).renamed;
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var href = link.getAttribute("href");
      Object.keys(renamed).forEach(function (old) {
        if (href.slice(-old.length) === old) { link.setAttribute("href", href.slice(0, -old.length) + renamed[old]); }
      });
    });
  });
  events.addEventListener("errors", function (event) {
    overlay(JSON.parse(event.data).errors);
  });
})();
