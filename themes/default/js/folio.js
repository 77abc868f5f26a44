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
