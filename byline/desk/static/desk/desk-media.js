// The Media Library's uploads: drop (or choose) several photos, one XHR each with a progress bar,
// and each stored photo joins the grid without a page load. Without this script the form posts.
(function () {
  "use strict";
  var form = document.getElementById("dropzone");
  if (!form) return;
  var input = document.getElementById("async-upload");
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var grid = document.getElementById("media-grid");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function tile(photo) {
    var li = document.createElement("li");
    li.className = "media-tile";
    li.dataset.id = photo.id;
    var a = document.createElement("a");
    a.href = "/wp-admin/upload.php?item=" + photo.id;
    var img = document.createElement("img");
    img.src = photo.thumbnail;
    img.alt = photo.alt || "";
    img.width = 160;
    img.height = 120;
    var label = document.createElement("span");
    label.className = "media-title";
    label.textContent = "Edit “" + (photo.title || photo.id) + "”";
    a.appendChild(img);
    a.appendChild(label);
    li.appendChild(a);
    var empty = grid.querySelector(".empty");
    if (empty) empty.remove();
    grid.insertBefore(li, grid.firstChild);
  }

  // One file after another: the bar shows the bytes sent of all files, and a small server
  // (SQLite) is never asked to store several photos at the same instant.
  function upload(files) {
    files = Array.prototype.slice.call(files);
    if (!files.length) return;
    var total = files.reduce(function (n, f) { return n + f.size; }, 0) || 1;
    var before = 0, failed = [];
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Uploading " + files.length + " photo" + (files.length > 1 ? "s" : "") + "…";
    form.classList.add("is-uploading");

    function finish() {
      bar.value = 100;
      form.classList.remove("is-uploading");
      var ok = files.length - failed.length;
      status.textContent = ok + " of " + files.length + " uploaded." + (failed.length ? " " + failed.join(" ") : "");
      input.value = "";
    }

    function next(i) {
      if (i === files.length) { finish(); return; }
      var file = files[i];
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/wp-admin/async-upload.php");
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        bar.value = Math.min(99, Math.round(((before + e.loaded) / total) * 100));
      });
      xhr.addEventListener("loadend", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = {}; }
        if (xhr.status === 201) {
          answer.photos.forEach(tile);
        } else {
          failed.push(answer.error || file.name + ": the upload failed (" + xhr.status + ").");
        }
        before += file.size;
        next(i + 1);
      });
      var data = new FormData();
      data.append("async-upload", file);
      xhr.send(data);
    }
    next(0);
  }

  input.addEventListener("change", function () { upload(input.files); });
  form.addEventListener("submit", function (e) { e.preventDefault(); upload(input.files); });
  ["dragenter", "dragover"].forEach(function (name) {
    form.addEventListener(name, function (e) { e.preventDefault(); form.classList.add("is-dragging"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    form.addEventListener(name, function (e) { e.preventDefault(); form.classList.remove("is-dragging"); });
  });
  form.addEventListener("drop", function (e) { upload(e.dataTransfer.files); });
})();
