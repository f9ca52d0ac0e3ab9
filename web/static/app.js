// Small enhancements only; every feature works without this file.
(function () {
  "use strict";
  // "/" focuses the search box (unless typing somewhere already).
  document.addEventListener("keydown", function (e) {
    var t = e.target, typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      var q = document.querySelector('input[name="q"]');
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    }
    // Escape hides an open footnote popup until the pointer/focus leaves it.
    if (e.key === "Escape") {
      var ref = t && t.closest && t.closest(".fnref");
      document.querySelectorAll(".fnref:hover, .fnref:focus-within").forEach(function (el) { el.classList.add("closed"); });
      if (ref) { ref.classList.add("closed"); }
    }
  });
  function reopen(e) { var r = e.currentTarget; r.classList.remove("closed"); }
  // Keep a note popup inside the window (CSS places it below the marker, left-aligned).
  function place(e) {
    var pop = e.currentTarget.querySelector(".fnpop");
    if (!pop || getComputedStyle(pop).position === "fixed") return;
    pop.style.left = "";
    var rect = pop.getBoundingClientRect(), over = rect.right - (window.innerWidth - 8);
    if (over > 0) pop.style.left = "calc(-1rem - " + Math.ceil(over) + "px)";
  }
  document.querySelectorAll(".fnref").forEach(function (r) {
    r.addEventListener("mouseleave", reopen);
    r.addEventListener("mouseenter", place);
    r.addEventListener("focusin", place);
    r.addEventListener("focusout", function (e) { if (!r.contains(e.relatedTarget)) reopen(e); });
  });
  // A touch screen has no hover: the first tap on a note marker opens its note, a second
  // tap (or the note's own link) goes to the note in the article; a tap elsewhere closes it.
  var touch = window.matchMedia && window.matchMedia("(hover: none)").matches;
  if (touch) {
    // On a phone the note is a sheet at the bottom of the screen; for a marker low on the
    // screen it would open over the marker (it shows as the touch focuses the link) and
    // take the tap itself: such a marker's sheet opens at the top instead.
    document.addEventListener("pointerdown", function (e) {
      var link = e.target.closest && e.target.closest("a.fnlink");
      var pop = link && link.closest(".fnref").querySelector(".fnpop");
      if (!pop) return;
      var low = link.getBoundingClientRect().bottom > window.innerHeight / 2;
      pop.classList.toggle("fnpop-top", low);
    }, true);
    document.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest("a.fnlink");
      var ref = link && link.closest(".fnref");
      document.querySelectorAll(".fnref.open").forEach(function (el) {
        if (el !== ref && !el.contains(e.target)) el.classList.remove("open");
      });
      if (!ref || ref.classList.contains("open")) return;
      e.preventDefault();
      ref.classList.remove("closed");
      ref.classList.add("open");
    });
  }
  // Arriving at a passage from a result: open any <details> around the target and focus it.
  function showTarget() {
    if (!location.hash) return;
    var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!el) return;
    var d = el.closest("details"); if (d) d.open = true;
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
  }
  showTarget();
  window.addEventListener("hashchange", showTarget);
  // Keep the script toggle on the same page after a switch (the form already posts `next`).
})();
