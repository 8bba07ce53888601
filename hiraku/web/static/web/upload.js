// Upload forms with a progress bar. Sends the same multipart POST as the plain form, through
// XMLHttpRequest so upload progress can be shown. Without JS the form posts normally.
// Server replies: JSON {"location": url} on success; the form page again (4xx) with errors.
(function () {
  var scriptSrc = document.currentScript ? document.currentScript.src : "";
  var form = document.querySelector("[data-upload-form]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var box = form.querySelector("[data-upload-progress]");
  var bar = box.querySelector("progress");
  var status = box.querySelector("[data-upload-status]");
  function text(sel) { var el = form.querySelector(sel); return el ? el.textContent : ""; }

  form.addEventListener("submit", function (event) {
    var fileInput = form.querySelector('input[type="file"]');
    var file = fileInput && fileInput.files && fileInput.files[0];
    var maxSize = parseInt(form.getAttribute("data-max-size") || "0", 10);
    if (file && maxSize && file.size > maxSize) {
      event.preventDefault();
      box.hidden = false;
      status.textContent = text("[data-msg-too-large]");
      fileInput.focus();
      return;
    }
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    box.hidden = false;
    bar.value = 0;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.href);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((e.loaded / e.total) * 100);
      bar.value = pct;
      status.textContent = pct + "%";
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      status.textContent = text("[data-msg-done]");
    });
    xhr.addEventListener("load", function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (xhr.status < 300 && type.indexOf("application/json") === 0) {
        window.location.assign(JSON.parse(xhr.responseText).location);
        return;
      }
      // Validation errors: show the server's re-rendered form in place of this one.
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = doc.getElementById("main");
      if (main) {
        document.getElementById("main").replaceWith(main);
        document.title = doc.title;
        var summary = document.getElementById("error-summary");
        if (summary) summary.focus();
        // Bind the new form too: run this script again.
        var script = document.createElement("script");
        script.src = scriptSrc;
        document.body.appendChild(script);
      } else {
        failed();
      }
    });
    xhr.addEventListener("error", failed);
    function failed() {
      button.disabled = false;
      status.textContent = text("[data-msg-failed]");
    }
    xhr.send(new FormData(form));
  });
})();
