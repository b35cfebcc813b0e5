// Type-ahead for the convening check-in desk: refresh the search results while staff type.
// Without JavaScript the search form works as a normal GET form.
(function () {
  "use strict";
  var form = document.getElementById("desk-search");
  var input = document.getElementById("desk-q");
  var results = document.getElementById("desk-results");
  if (!form || !input || !results || !window.fetch || !window.DOMParser) {
    return;
  }
  var timer = null;
  var last = input.value.trim();
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var q = input.value.trim();
      if (q === last || (q.length > 0 && q.length < 2)) {
        return;
      }
      last = q;
      var query = q ? "?q=" + encodeURIComponent(q) : "";
      fetch(window.location.pathname + query, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || input.value.trim() !== q) {
            return;
          }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("desk-results");
          if (fresh) {
            results.innerHTML = fresh.innerHTML;
            window.history.replaceState(null, "", window.location.pathname + query);
          }
        })
        .catch(function () { /* the Search button still works */ });
    }, 300);
  });
})();
