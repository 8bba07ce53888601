// Copy buttons for read-only fields (attribution, new API token). Without JS the field stays
// selectable, so the buttons are hidden until this script shows them.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = "✓ " + label;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
