// folio: light/dark switch (remembered per browser) and sidebar closing on navigation.
(function () {
  "use strict";
  var root = document.documentElement;
  var toggle = document.getElementById("theme-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var dark = root.dataset.theme === "dark" ||
        (root.dataset.theme === "auto" && window.matchMedia("(prefers-color-scheme: dark)").matches);
      root.dataset.theme = dark ? "light" : "dark";
      localStorage.setItem("folio-theme", root.dataset.theme);
    });
  }
  var sidebar = document.querySelector(".sidebar");
  var current = document.querySelector(".sidebar .current");
  if (sidebar && current) {
    sidebar.scrollTop = current.offsetTop - sidebar.clientHeight / 3;
  }
  document.querySelectorAll(".sidebar a").forEach(function (link) {
    link.addEventListener("click", function () {
      var box = document.getElementById("sidebar-toggle");
      if (box) { box.checked = false; }
    });
  });
})();
// Timeline: show only the events carrying one of the pressed tags (none pressed: all).
(function () {
  "use strict";
  document.querySelectorAll("[data-timeline]").forEach(function (timeline) {
    var buttons = Array.prototype.slice.call(timeline.querySelectorAll(".tag-filter"));
    function apply() {
      var active = buttons.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
        .map(function (b) { return b.dataset.tag; });
      timeline.querySelectorAll(".timeline-event").forEach(function (event) {
        var tags = (event.dataset.tags || "").split(" ");
        event.hidden = active.length > 0 && !active.some(function (tag) { return tags.indexOf(tag) >= 0; });
      });
      timeline.querySelectorAll(".timeline-year").forEach(function (year) {
        year.hidden = !year.querySelector(".timeline-event:not([hidden])");
      });
    }
    // The filter lives in the address (`?tags=incident,team`), so a filtered view can be
    // shared and comes back on reload.
    function remember() {
      var active = buttons.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
        .map(function (b) { return b.dataset.tag; });
      var url = new URL(window.location.href);
      if (active.length) { url.searchParams.set("tags", active.join(",")); } else { url.searchParams.delete("tags"); }
      history.replaceState(null, "", url.pathname + url.search + url.hash);
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var pressed = button.getAttribute("aria-pressed") === "true";
        button.setAttribute("aria-pressed", pressed ? "false" : "true");
        apply();
        remember();
      });
    });
    var wanted = (new URL(window.location.href).searchParams.get("tags") || "").split(",");
    buttons.forEach(function (button) {
      if (wanted.indexOf(button.dataset.tag) >= 0) { button.setAttribute("aria-pressed", "true"); }
    });
    apply();
  });
})();
// Sortable tables (the runbook board): click a column header to sort, again to reverse.
(function () {
  "use strict";
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    headers.forEach(function (header, column) {
      header.querySelector("button").addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = header.dataset.sort === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
// Code blocks with hidden lines (mdBook's `# ` lines): a button shows or hides them.
(function () {
  "use strict";
  document.querySelectorAll("pre[data-hidden-lines]").forEach(function (pre) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "hidden-lines-toggle";
    button.setAttribute("aria-pressed", "false");
    button.title = pre.dataset.toggleLabel || "Show hidden lines";
    button.setAttribute("aria-label", button.title);
    button.textContent = "\u{1F441}";
    button.addEventListener("click", function () {
      var shown = pre.classList.toggle("show-hidden");
      button.setAttribute("aria-pressed", shown ? "true" : "false");
    });
    pre.insertBefore(button, pre.firstChild);
  });
})();
// Keyboard: ← and → follow the previous and next links (not while typing, not with a
// modifier key, which belongs to the browser).
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var content = document.getElementById("content");
    if (content && content.classList.contains("searching")) { return; }
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
    var link = rel && document.querySelector('.page-nav a[rel="' + rel + '"]');
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    }
  });
})();
// A copy button on every code block: copies what the reader sees (hidden lines only
// when shown), says so for two seconds.
(function () {
  "use strict";
  var labels = document.body.dataset;
  document.querySelectorAll("pre.code").forEach(function (pre) {
    var code = pre.querySelector("code");
    if (!code) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = labels.copyLabel || "Copy";
    button.setAttribute("aria-label", labels.copyLabel || "Copy");
    button.addEventListener("click", function () {
      var text = code.innerText;
      var done = function () {
        button.textContent = labels.copiedLabel || "Copied";
        setTimeout(function () { button.textContent = labels.copyLabel || "Copy"; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () {});
      }
    });
    pre.appendChild(button);
  });
})();
// The ☰ button ticks the checkbox the layout's CSS reads (without script, a label for
// it does); aria-expanded says whether the contents show.
(function () {
  "use strict";
  var button = document.querySelector(".sidebar-button");
  var box = document.getElementById("sidebar-toggle");
  var sidebar = document.getElementById("sidebar");
  if (!button || !box || !sidebar) { return; }
  function update() {
    var style = getComputedStyle(sidebar);
    button.setAttribute("aria-expanded", style.display !== "none" && style.visibility !== "hidden" ? "true" : "false");
  }
  button.addEventListener("click", function () {
    box.checked = !box.checked;
    setTimeout(update, 250);
  });
  box.addEventListener("change", function () { setTimeout(update, 250); });
  window.addEventListener("resize", update);
  update();
})();
// A table wider than the column (the runbook board on a phone) gets a line above it
// saying it scrolls sideways, kept in step with the window's width.
(function () {
  "use strict";
  var label = document.body.dataset.scrollLabel;
  var tables = Array.prototype.slice.call(document.querySelectorAll("main table"));
  if (!label || tables.length === 0) { return; }
  function update() {
    tables.forEach(function (table) {
      var wide = table.scrollWidth > table.clientWidth + 1;
      table.classList.toggle("scrolls", wide);
      var hint = table.previousElementSibling;
      var has = hint && hint.classList.contains("scroll-hint");
      if (wide && !has) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.textContent = label;
        table.parentNode.insertBefore(hint, table);
      } else if (!wide && has) {
        hint.remove();
      }
    });
  }
  window.addEventListener("resize", update);
  update();
})();
