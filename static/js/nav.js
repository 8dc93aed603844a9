/* The header's menu button: on a narrow screen the menu folds behind it. Without this
   script the menu simply stays open, so every link is reachable either way. */
(function () {
  "use strict";
  var header = document.querySelector("[data-site-header]");
  if (!header) return;
  var button = header.querySelector("[data-menu-button]");
  header.classList.add("has-menu-button");
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("is-open", open);
  }
  set(false);
  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("is-open")) {
      set(false);
      button.focus();
    }
  });
})();

/* A form that came back with errors: move focus to the summary, so a screen reader
   hears what to fix and a keyboard user starts at the links to each field. */
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
