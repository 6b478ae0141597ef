/* The error summary at the top of a form's page (templates/macros.html error_summary): it takes the
   focus when the page opens, so a screen reader reads it and a phone shows it; each of its links
   moves the focus to its field (a fragment link alone only scrolls), opening the <details> the
   field sits in. Without JavaScript the links still scroll to the fields. */
(function () {
  "use strict";

  function fieldOf(link) {
    var href = link.getAttribute("href") || "";
    return href.charAt(0) === "#" ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
  }

  function start() {
    var summary = document.getElementById("error-summary");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a") : null;
      var field = link && fieldOf(link);
      if (!field) return;
      event.preventDefault();
      for (var up = field.parentElement; up; up = up.parentElement) {
        if (up.tagName === "DETAILS") up.open = true;
      }
      var label = field.id ? document.querySelector('label[for="' + field.id + '"]') : null;
      (label || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
      if (window.history && window.history.replaceState) window.history.replaceState(null, "", "#" + field.id);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
