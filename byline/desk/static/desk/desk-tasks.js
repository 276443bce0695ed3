// Progress of a running task (the import's bar): polls its status once a second, updates the
// bar and the counts, and reloads the page when the task ends, so the report or error shows.
// A same-origin file: the desk's CSP allows no inline script.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-task-status]");
  Array.prototype.forEach.call(boxes, function (box) {
    var url = box.getAttribute("data-task-status");
    function show(data) {
      var bar = box.querySelector("progress");
      if (bar) { bar.value = data.fraction; bar.textContent = Math.round(data.fraction * 100) + "%"; }
      var label = box.querySelector('[data-field="status_label"]');
      if (label) { label.textContent = data.status_label; }
      var stage = box.querySelector('[data-field="stage"]');
      if (stage && data.stage) { stage.textContent = data.stage; }
      var list = box.querySelector(".task-counts");
      if (list && data.total) {
        Object.keys(data.total).forEach(function (kind) {
          var item = list.querySelector('[data-kind="' + kind + '"]');
          if (!item) {
            item = document.createElement("li");
            item.setAttribute("data-kind", kind);
            var name = document.createElement("span");
            name.className = "kind";
            name.textContent = kind.charAt(0).toUpperCase() + kind.slice(1);
            var done = document.createElement("span");
            done.setAttribute("data-field", "done");
            item.appendChild(name);
            item.appendChild(document.createTextNode(" "));
            item.appendChild(done);
            item.appendChild(document.createTextNode(" of " + data.total[kind]));
            list.appendChild(item);
          }
          item.querySelector('[data-field="done"]').textContent = (data.done && data.done[kind]) || 0;
        });
      }
    }
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          show(data);
          if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
