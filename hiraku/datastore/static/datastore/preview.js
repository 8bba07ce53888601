// Data preview: page, sort and search without reloading the whole page. Without JS the same
// links and form reload the page (the server renders every state).
(function () {
  "use strict";
  function load(section, query, push) {
    var url = section.getAttribute("data-fragment-url") + query;
    section.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("[data-datastore-preview]");
        if (!fresh) { section.removeAttribute("aria-busy"); return; }
        section.replaceWith(fresh);
        bind(fresh);
        if (push) { history.pushState({ datastorePreview: query }, "", query); }
      })
      .catch(function () { window.location.search = query; });
  }
  function bind(section) {
    section.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='?']");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      load(section, link.getAttribute("href"), true);
    });
    var form = section.querySelector("form[role=search]");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var query = "?" + new URLSearchParams(new FormData(form)).toString();
        load(section, query, true);
      });
    }
  }
  document.querySelectorAll("[data-datastore-preview]").forEach(bind);
  window.addEventListener("popstate", function () {
    var section = document.querySelector("[data-datastore-preview]");
    if (section) { load(section, window.location.search || "?", false); }
  });
})();
