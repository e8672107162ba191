// CASH viewer: layer switching, comparison, linked highlighting. No network, no data in script:
// everything is read from the escaped DOM (data-* attributes and the side lists).
(function () {
  "use strict";
  var body = document.body;
  function $all(selector, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(selector)); }
  function checked(name) { var el = document.querySelector('input[name="' + name + '"]:checked'); return el ? el.value : ""; }
  function panel(layer) { return $all("section.panel").filter(function (p) { return p.dataset.layer === layer; })[0]; }
  function hasToken(list, token) { return (list || "").split(" ").indexOf(token) >= 0; }

  function update() {
    var main = checked("layer"), other = checked("compare");
    var side = document.getElementById("side-by-side");
    var pair = side && side.checked && other && other !== main;
    $all("section.panel").forEach(function (p) { p.hidden = !(p.dataset.layer === main || (pair && p.dataset.layer === other)); });
    body.classList.toggle("side-by-side", !!pair);
    $all(".is-diff").forEach(function (el) { el.classList.remove("is-diff"); });
    $all(".diff-reason.shown").forEach(function (el) { el.classList.remove("shown"); });
    if (!other || other === main) return;
    [[main, other], [other, main]].forEach(function (ab) {
      var p = panel(ab[0]);
      if (!p) return;
      $all(".doc-text [data-diff]", p).forEach(function (el) { if (hasToken(el.dataset.diff, ab[1])) el.classList.add("is-diff"); });
      $all(".diff-reason", p).forEach(function (el) {
        if (el.dataset.against === ab[1]) { el.classList.add("shown"); el.closest(".entry").classList.add("is-diff"); }
      });
    });
  }

  function related(el) {
    var p = el.closest("section.panel");
    var ann = el.dataset.ann || el.dataset.entry;
    var self = $all("[data-ann]", p).filter(function (x) { return x.dataset.ann === ann; });
    var first = self[0] || el;
    var links = (first.dataset.links || "").split(" ").filter(Boolean);
    var linked = $all("[data-ann]", p).filter(function (x) { return links.indexOf(x.dataset.ann) >= 0 && x.dataset.ann !== first.dataset.parent; });
    var parent = first.dataset.parent ? $all("[data-ann]", p).filter(function (x) { return x.dataset.ann === first.dataset.parent; }) : [];
    var entries = $all("[data-entry]", p).filter(function (x) { return x.dataset.entry === ann || links.indexOf(x.dataset.entry) >= 0; });
    return { self: self, linked: linked, parent: parent, entries: entries, ann: ann, layer: p.dataset.layer };
  }

  function clear() {
    $all(".hl, .hl-self, .hl-parent").forEach(function (x) { x.classList.remove("hl", "hl-self", "hl-parent"); });
    var box = document.getElementById("inspector");
    if (box) { box.hidden = true; while (box.firstChild) box.removeChild(box.firstChild); }
  }

  function highlight(el) {
    clear();
    var r = related(el);
    r.self.forEach(function (x) { x.classList.add("hl", "hl-self"); });
    r.linked.forEach(function (x) { x.classList.add("hl"); });
    r.parent.forEach(function (x) { x.classList.add("hl-parent"); });
    r.entries.forEach(function (x) { x.classList.add("hl"); });
    var info = document.getElementById("info-" + r.layer + "--" + r.ann);
    var box = document.getElementById("inspector");
    if (info && box && !el.dataset.entry) {
      var copy = info.cloneNode(true);
      copy.removeAttribute("id");
      $all("[id]", copy).forEach(function (x) { x.removeAttribute("id"); });
      var heading = document.createElement("p");
      heading.textContent = "layer " + r.layer;
      box.appendChild(heading);
      box.appendChild(copy);
      box.hidden = false;
    }
  }

  function target(event) {
    var t = event.target;
    if (!(t instanceof Element)) return null;
    var m = t.closest(".doc-text [data-ann]");
    if (m) return m;
    return t.closest("[data-entry]");
  }

  document.addEventListener("mouseover", function (e) { var t = target(e); if (t) highlight(t); });
  document.addEventListener("mouseout", function (e) { var t = target(e); if (t && !t.contains(e.relatedTarget)) clear(); });
  document.addEventListener("focusin", function (e) { var t = target(e); if (t) highlight(t); });
  document.addEventListener("focusout", function (e) { if (target(e)) clear(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") clear(); });
  $all('input[name="layer"], input[name="compare"], #side-by-side').forEach(function (i) { i.addEventListener("change", update); });
  var structure = document.getElementById("show-structure");
  if (structure) structure.addEventListener("change", function () { body.classList.toggle("show-structure", structure.checked); });
  var badges = document.getElementById("show-badges");
  if (badges) badges.addEventListener("change", function () { body.classList.toggle("show-badges", badges.checked); });
  if (document.querySelector("section.panel")) update();
})();
