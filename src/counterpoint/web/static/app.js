// Counterpoint web app: the analysis progress poll and an upload size check.
// Served as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var box = document.getElementById("cp-progress");
  if (box) {
    var text = box.querySelector(".cp-progress-text");
    var bar = box.querySelector("progress");
    var done = box.querySelector(".cp-progress-done");
    var onStoryPage = window.location.pathname === box.getAttribute("data-story-url");
    var poll = function () {
      fetch(box.getAttribute("data-status-url"), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          box.setAttribute("data-state", s.state);
          box.className = "notice state-" + s.state;
          if (s.state === "queued") {
            text.textContent = "Analysis queued…";
          } else if (s.state === "running") {
            bar.hidden = false;
            bar.max = s.steps || 1;
            bar.value = s.step || 0;
            text.textContent = "Analysing: " + (s.stage || "starting") + " (" + s.step + " of " + s.steps + ")…";
          } else if (s.state === "done") {
            bar.hidden = false;
            bar.value = bar.max;
            text.textContent = "Analysis finished.";
            if (onStoryPage) { window.location.reload(); return; }
            done.hidden = false;
            return;
          } else {
            text.textContent = s.state === "failed" ? "The analysis failed: " + s.error : "No analysis running.";
            return;
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    var state = box.getAttribute("data-state");
    if (state === "queued" || state === "running") { window.setTimeout(poll, 500); }
  }

  var form = document.getElementById("cp-add");
  if (form) {
    form.addEventListener("submit", function (ev) {
      var max = parseInt(form.getAttribute("data-max-bytes"), 10);
      var files = form.querySelector("input[type=file]").files;
      var total = form.querySelector("textarea").value.length;
      for (var i = 0; i < files.length; i++) { total += files[i].size; }
      var err = form.querySelector(".cp-form-error");
      if (max && total > max) {
        ev.preventDefault();
        err.textContent = "That is " + (total / 1e6).toFixed(1) + " MB; the limit is " + (max / 1e6) + " MB at a time.";
        err.hidden = false;
      }
    });
  }
})();
