/* Autosave for plan edit forms: after a pause in typing, post the form to its autosave address.
   The server keeps the text as the person's draft (not a saved change) and answers 409 when
   someone else saved this part meanwhile, so the person knows a merge is coming. Without
   JavaScript the form still saves normally. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector("[data-autosave-status]");
  var timer = null;
  var dirty = false;
  var DELAY_MS = 2000;

  function say(text) { if (status) { status.textContent = text; } }

  function save() {
    if (!dirty) { return; }
    dirty = false;
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().then(function (body) {
        say(body.message || "");
        if (response.status === 409 && status) { status.classList.add("text-danger-emphasis"); }
      });
    }).catch(function () {
      dirty = true;  // try again on the next pause; the form itself still works
    });
  }

  function changed() {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { window.clearTimeout(timer); dirty = false; });
})();
