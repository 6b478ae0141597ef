/* The officer's queue and actions, as progressive enhancement (everything works without it):
   a response template fills the note to be edited; "choose all" ticks the page's complaints. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var note = select.form && select.form.elements[select.getAttribute("data-fills")];
      if (note && option && option.getAttribute("data-text")) { note.value = option.getAttribute("data-text"); }
    });
  });
  var all = document.getElementById("choose-all");
  if (all) {
    all.hidden = false;
    all.addEventListener("change", function () {
      document.querySelectorAll("#queue input[name=numbers]").forEach(function (box) { box.checked = all.checked; });
    });
  }
}());
