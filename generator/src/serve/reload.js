// Served by `arsite serve --watch` only (never written into the site):
// reloads the page after each rebuild, and shows why a rebuild failed.
(function () {
  "use strict";
  var banner = null;
  var events = new EventSource("/__arsite/events");
  events.addEventListener("reload", function () {
    location.reload();
  });
  // A failed build arrives as an "error" event with the message as data;
  // EventSource also fires "error" (without data) when the connection
  // drops, and then reconnects by itself, so only events with data count.
  events.addEventListener("error", function (event) {
    if (typeof event.data !== "string") {
      return;
    }
    if (!banner) {
      banner = document.createElement("pre");
      banner.setAttribute("role", "alert");
      banner.setAttribute("data-arsite", "build-error");
      // CSSOM, not a style attribute: the page's style-src allows no inline styles.
      var s = banner.style;
      s.position = "fixed";
      s.left = "0";
      s.right = "0";
      s.bottom = "0";
      s.zIndex = "2147483647";
      s.margin = "0";
      s.padding = "0.75em 1em";
      s.maxHeight = "40vh";
      s.overflow = "auto";
      s.whiteSpace = "pre-wrap";
      s.font = "13px/1.4 monospace";
      s.background = "#7a1010";
      s.color = "#fff";
      document.body.appendChild(banner);
    }
    // The message quotes data and templates: text only, never markup.
    banner.textContent = "arsite: rebuild failed; showing the previous site\n\n" + event.data;
  });
})();
