/* The visit rows' household picker: as the officer types a name or an address, the station's active
 * records are searched (a debounced fetch of /api/v1/household-picker/) and a pick sets the row's
 * record select. The station's list (id, name, address) is kept on this phone while online, so the
 * same search works offline, filtered here. Without this script the select offers the key records. */
(function () {
  "use strict";
  var form = document.getElementById("diary-form");
  if (!form) return;
  var URL = form.dataset.pickerUrl, LIST = "minqing:records:" + form.dataset.user + ":";
  var timers = new WeakMap();

  function station() { return form.elements.station ? form.elements.station.value : ""; }

  function keepList() {
    var st = station();
    if (!st || !navigator.onLine) return;
    fetch(URL + "?all=1&station=" + encodeURIComponent(st), {credentials: "same-origin"})
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (rows) {
        try { if (rows) localStorage.setItem(LIST + st, JSON.stringify(rows)); } catch (e) { /* storage full */ }
      }, function () {});
  }

  function offline(text) {
    var rows = [];
    try { rows = JSON.parse(localStorage.getItem(LIST + station()) || "[]"); } catch (e) { rows = []; }
    return rows.filter(function (r) {
      return !text || r.name.indexOf(text) >= 0 || (r.address || "").indexOf(text) >= 0;
    }).slice(0, 20);
  }

  function search(text) {
    if (!navigator.onLine) return Promise.resolve(offline(text));
    var q = "?station=" + encodeURIComponent(station()) + "&q=" + encodeURIComponent(text);
    return fetch(URL + q, {credentials: "same-origin"}).then(function (res) {
      return res.ok ? res.json() : [];
    }).catch(function () { return offline(text); });
  }

  function show(box, rows) {
    var list = box.querySelector("[data-picker-results]");
    list.textContent = "";
    rows.forEach(function (r) {
      var li = document.createElement("li"), b = document.createElement("button");
      b.type = "button";
      b.className = "link picker-pick";
      b.dataset.id = r.id;
      b.dataset.label = r.name + (r.address ? " · " + r.address : "");
      b.textContent = b.dataset.label + (r.is_key ? " ★" : "") + (r.next_visit_due ? " (" + r.next_visit_due + ")" : "");
      li.appendChild(b);
      list.appendChild(li);
    });
  }

  function pick(row, id, label) {
    var select = row.querySelector('select[name$="-household"]');
    var option = select.querySelector('option[value="' + id + '"]');
    if (!option) {
      option = document.createElement("option");
      option.value = id;
      option.textContent = label;
      select.appendChild(option);
    }
    select.value = String(id);
    select.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function ready(scope) {
    (scope || form).querySelectorAll("[data-picker]").forEach(function (box) { box.hidden = false; });
  }

  form.addEventListener("input", function (ev) {
    if (!ev.target.matches("[data-picker-q]")) return;
    var box = ev.target.closest("[data-picker]"), text = ev.target.value.trim();
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(function () {
      search(text).then(function (rows) { show(box, rows); });
    }, 250));
  });

  form.addEventListener("click", function (ev) {
    var b = ev.target.closest(".picker-pick");
    if (!b) return;
    pick(b.closest("[data-row]"), b.dataset.id, b.dataset.label);
    b.closest("[data-picker-results]").textContent = "";
  });

  form.addEventListener("change", function (ev) { if (ev.target.name === "station") keepList(); });
  // Rows added later come from the template: show their picker too.
  new MutationObserver(function () { ready(); }).observe(form, {childList: true, subtree: true});
  ready();
  keepList();
  window.addEventListener("online", keepList);
})();
