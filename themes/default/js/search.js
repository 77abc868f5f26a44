// folio: the search box of the top bar. pagefind's library (pagefind.js, loaded on the
// first query) searches the index of the page's language; the results replace the page
// in the main column, one per page, with the sections where the words are. `/` or `s`
// goes to the box, ↓ and ↑ through the results, Escape back to the page. The query is
// kept in the address (`?q=`), so a search can be shared and comes back on reload.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var panel = document.getElementById("search-results");
  if (!form || !panel) { return; }
  var input = form.querySelector("input");
  var main = document.getElementById("content");
  var status = panel.querySelector(".search-status");
  var list = panel.querySelector(".search-result-list");
  var texts = form.dataset;
  var limit = Number(texts.limit) || 30;
  var library = null;
  var latest = 0;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  // pagefind, once: the module's address is made absolute (a relative one would be
  // resolved against this script's, not the page's).
  function load() {
    if (!library) {
      var url = new URL(texts.bundle + "pagefind.js", document.baseURI).href;
      library = import(url).then(function (pagefind) {
        return pagefind.options({ baseUrl: texts.base, excerptLength: Number(texts.excerptWords) || 30 })
          .then(function () { return pagefind; });
      });
      library.catch(function () { library = null; });
    }
    return library;
  }

  // An excerpt's text with pagefind's <mark> kept and nothing else: parsed in an inert
  // document, rebuilt from text nodes (the book's text is never trusted as markup).
  function excerpt(html) {
    var paragraph = document.createElement("p");
    paragraph.className = "search-excerpt";
    var parsed = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html").body;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function link(url, text, className) {
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.className = className;
    anchor.textContent = text;
    return anchor;
  }

  // One result per page: its title, then up to three sections where the words are (not
  // the page's own opening again), or the page's excerpt when the words are before its
  // first section.
  function render(data) {
    var item = document.createElement("li");
    item.className = "search-result";
    var title = (data.meta && data.meta.title) || data.url;
    item.appendChild(link(data.url, title, "search-result-title"));
    // A section's address is made from the page's (pagefind's own turns a relative base
    // into a path from the server's root, wrong for a book published in a subdirectory).
    var page = data.url.split("#")[0];
    var sections = (data.sub_results || []).filter(function (section) {
      return section.anchor && section.anchor.id && section.title !== title;
    });
    sections = sections
      .map(function (section, index) { return { section: section, index: index }; })
      .sort(function (a, b) { return (b.section.locations || []).length - (a.section.locations || []).length; })
      .slice(0, 3)
      .sort(function (a, b) { return a.index - b.index; })
      .map(function (entry) { return entry.section; });
    if (sections.length === 0) {
      item.appendChild(excerpt(data.excerpt));
      return item;
    }
    var nested = document.createElement("ul");
    nested.className = "search-sections";
    sections.forEach(function (section) {
      var entry = document.createElement("li");
      entry.appendChild(link(page + "#" + section.anchor.id, section.title, "search-section-title"));
      entry.appendChild(excerpt(section.excerpt));
      nested.appendChild(entry);
    });
    item.appendChild(nested);
    return item;
  }

  function show(open) {
    panel.hidden = !open;
    main.classList.toggle("searching", open);
  }

  function remember(query) {
    var url = new URL(window.location.href);
    if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }

  function search(query) {
    var ticket = ++latest;
    query = query.trim();
    remember(query);
    if (!query) {
      show(false);
      list.textContent = "";
      dropMoreButton();
      return;
    }
    show(true);
    status.textContent = texts.loading;
    load().then(function (pagefind) {
      return pagefind.debouncedSearch(query, {}, 150);
    }).then(function (found) {
      if (found === null || ticket !== latest) { return null; }
      list.textContent = "";
      var count = found.results.length;
      status.textContent = fill(count === 0 ? texts.none : count === 1 ? texts.one : texts.many,
        { count: count, query: query });
      return more(found.results, 0, ticket);
    }).catch(function () {
      if (ticket !== latest) { return; }
      list.textContent = "";
      status.textContent = texts.unavailable;
    });
  }

  function dropMoreButton() {
    var button = panel.querySelector(".search-more");
    if (button) { button.remove(); }
  }

  // The results from `start` on, `limit` at a time: a "more" button fetches the next.
  function more(results, start, ticket) {
    dropMoreButton();
    var batch = results.slice(start, start + limit);
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      if (ticket !== latest) { return; }
      pages.forEach(function (data) { list.appendChild(render(data)); });
      if (start + limit >= results.length) { return; }
      var next = document.createElement("button");
      next.type = "button";
      next.className = "search-more";
      next.textContent = texts.more;
      next.addEventListener("click", function () {
        var first = list.children.length;
        more(results, start + limit, ticket).then(function () {
          var link = list.children[first] && list.children[first].querySelector("a");
          if (link) { link.focus(); }
        });
      });
      panel.appendChild(next);
    });
  }

  function close() {
    input.value = "";
    search("");
  }

  input.addEventListener("input", function () { search(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) { first.click(); }
  });
  panel.querySelector(".search-close").addEventListener("click", function () {
    close();
    input.focus();
  });

  // ↓ from the box to the first result, ↓ and ↑ between results, Escape back.
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  function move(step) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    var next = at + step;
    if (next < 0) { input.focus(); return; }
    if (next < all.length) { all[next].focus(); }
  }
  form.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    if (event.key === "Escape") { event.preventDefault(); close(); input.blur(); }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    if (event.key === "Escape") { event.preventDefault(); input.focus(); }
  });

  // `/` or `s` anywhere but in a field goes to the box.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    if (event.key === "/" || event.key === "s") {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });

  var asked = new URL(window.location.href).searchParams.get("q");
  if (asked) {
    input.value = asked;
    search(asked);
  }
})();
