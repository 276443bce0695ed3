// Moderation without page loads: a row's button posts in the background and the row leaves the
// list; on a focused row the keys a, s, t and r approve, spam, trash and reply (as WordPress).
(function () {
  "use strict";
  var form = document.getElementById("moderation");
  if (!form) return;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var live = document.createElement("p");
  live.className = "screen-reader-text";
  live.setAttribute("role", "status");
  form.parentNode.insertBefore(live, form);

  function setCount(n) {
    document.querySelectorAll(".desk-nav a[href='/wp-admin/edit-comments.php'] .count").forEach(function (el) {
      el.textContent = n;
      el.setAttribute("aria-label", n + " pending");
    });
  }

  function send(button) {
    var row = button.closest(".comment-row");
    var data = new FormData();
    data.append("row_action", button.value);
    var text = row.querySelector("textarea[name='" + button.value.replace(":", "-") + "']");
    if (text) data.append(text.name, text.value);
    button.disabled = true;
    // form.action would be the <select name="action">: read the attribute.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (r) { return r.json().then(function (j) { return [r, j]; }); })
      .then(function (pair) {
        var answer = pair[1];
        live.textContent = answer.message;
        button.disabled = false;
        if (pair[0].status === 401) { window.location.href = answer.login; return; }
        if (!pair[0].ok) return;
        setCount(answer.pending);
        var action = button.value.split(":")[0];
        if (action === "reply" || action === "edit") {
          if (action === "edit") row.querySelector(".comment-text").textContent = text.value;
          button.closest("details").open = false;
          if (action === "reply" && !row.classList.contains("status-pending")) return;
        }
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        if (next && next.classList.contains("comment-row")) next.focus();
      })
      .catch(function () { button.disabled = false; form.requestSubmit(button); });
  }

  form.addEventListener("click", function (e) {
    var button = e.target.closest("button[name=row_action]");
    if (!button) return;
    e.preventDefault();
    send(button);
  });

  var keys = { a: ".act-approve", s: ".act-spam", t: ".act-trash" };
  form.addEventListener("keydown", function (e) {
    var row = e.target;
    if (!row.classList || !row.classList.contains("comment-row") || e.ctrlKey || e.metaKey || e.altKey) return;
    if (keys[e.key]) {
      var button = row.querySelector(keys[e.key]);
      if (button) { e.preventDefault(); send(button); }
    } else if (e.key === "r") {
      var details = row.querySelector(".act-reply");
      details.open = true;
      e.preventDefault();
      details.querySelector("textarea").focus();
    } else if (e.key === "j" || e.key === "k") {
      var to = e.key === "j" ? row.nextElementSibling : row.previousElementSibling;
      if (to) { e.preventDefault(); to.focus(); }
    }
  });
})();
