// A row of tabs that scrolls sideways on a phone starts scrolled to the current tab, so the page
// you are on is never the one hidden past the edge. (The edge shadows are pure CSS: .scroll-cue.)
document.querySelectorAll(".scroll-cue").forEach(function (row) {
  var current = row.querySelector("[aria-current=page]");
  if (current && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = Math.max(0, current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2);
  }
});
