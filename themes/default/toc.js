// The table of contents of a big book, written once per language instead of into every
// page. The page holds an empty list naming its language root and its own path; this
// script fills it, marks the current chapter and shows that chapter's sections.
(function () {
  var script = document.currentScript;
  var list = script.parentNode.querySelector("ol.toc[data-root]");
  if (!list) return;
  list.innerHTML = FOLIO_TOC;
  var root = list.dataset.root;
  var current = list.dataset.current;
  var sections = script.parentNode.querySelector("template.current-sections");
  list.querySelectorAll("a[href]").forEach(function (link) {
    var href = link.getAttribute("href");
    if (href === current) {
      link.setAttribute("aria-current", "page");
      link.parentNode.classList.add("current");
      if (sections) link.parentNode.appendChild(sections.content.cloneNode(true));
    }
    link.setAttribute("href", root + href);
  });
})();
