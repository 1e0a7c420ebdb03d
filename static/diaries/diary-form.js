/* The officer's diary form: rows of visits and issues, a draft kept in
 * localStorage on every keystroke, an idempotency key made when the draft
 * starts, and a submission that goes to the outbox when there is no network. */
(function () {
  "use strict";
  var form = document.getElementById("diary-form");
  if (!form) return;
  var S = form.dataset;
  var DRAFT = "minqing:diary-draft:" + S.user;
  var key = form.elements.idempotency_key;
  var PREFIXES = ["visits", "issues"];
  var sending = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = "";
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1) + ([3, 5, 7, 9].indexOf(i) >= 0 ? "-" : "");
    return h;
  }

  /* --- rows of visits and issues ------------------------------------------ */
  function rows(prefix) { return form.querySelector('[data-rows="' + prefix + '"]'); }
  function total(prefix) { return form.elements[prefix + "-TOTAL_FORMS"]; }

  function renumber(prefix) {
    var re = new RegExp("^(id_)?" + prefix + "-\\d+-");
    var list = rows(prefix).querySelectorAll("[data-row]");
    Array.prototype.forEach.call(list, function (row, i) {
      row.querySelectorAll("[name],[id],[for],[data-field]").forEach(function (el) {
        ["name", "id", "for", "data-field"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) el.setAttribute(attr, v.replace(re, function (m, id) { return (id || "") + prefix + "-" + i + "-"; }));
        });
      });
      var no = row.querySelector(".row-no");
      if (no) no.textContent = i + 1;
    });
    total(prefix).value = list.length;
  }

  function addRow(prefix) {
    var html = document.getElementById(prefix + "-template").innerHTML;
    var holder = document.createElement("div");
    holder.innerHTML = html.replace(/__prefix__/g, total(prefix).value);
    var row = holder.firstElementChild;
    rows(prefix).appendChild(row);
    renumber(prefix);
    onsite(row);
    return row;
  }

  function onsite(scope) {
    (scope || form).querySelectorAll('input[name$="-solved_on_site"]').forEach(function (box) {
      var part = box.closest("[data-row]").querySelector("[data-onsite]");
      if (part) part.hidden = !box.checked;
    });
  }

  form.addEventListener("click", function (ev) {
    var add = ev.target.closest(".add-row"), del = ev.target.closest(".remove-row");
    if (add) { addRow(add.dataset.prefix).querySelector("input,select,textarea").focus(); save(); }
    if (del) {
      var holder = del.closest("[data-rows]");
      del.closest("[data-row]").remove();
      renumber(holder.dataset.rows);
      save();
    }
  });

  /* --- the draft ------------------------------------------------------------- */
  function fields() {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.type === "button") return;
      if (el.name === "csrfmiddlewaretoken" || /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(el.name)) return;
      if (el.type === "checkbox" && !el.checked) return;
      out.push([el.name, el.value]);
    });
    return out;
  }

  function photos() { var p = form.elements.photos; return p && p.files ? p.files.length : 0; }

  var started = false;
  function save() {
    // A new draft gets a new key: the one its submission (and every resend of it) carries.
    if (!started && !localStorage.getItem(DRAFT)) key.value = uuid();
    started = true;
    try {
      localStorage.setItem(DRAFT, JSON.stringify({key: key.value, saved: Date.now(), fields: fields(), photos: photos()}));
    } catch (e) { /* storage full or disabled: the form still works, only without a draft */ }
  }

  function load(draft) {
    var counts = {visits: 0, issues: 0};
    draft.fields.forEach(function (p) {
      var m = /^(visits|issues)-(\d+)-/.exec(p[0]);
      if (m) counts[m[1]] = Math.max(counts[m[1]], +m[2] + 1);
    });
    PREFIXES.forEach(function (prefix) {
      while (+total(prefix).value < counts[prefix]) addRow(prefix);
    });
    form.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
    draft.fields.forEach(function (p) {
      var el = form.elements[p[0]];
      if (el && !el.tagName && el.length) {
        // Several boxes of one name (a new household's tags): tick the one of this value.
        Array.prototype.forEach.call(el, function (box) { if (box.value === p[1]) box.checked = true; });
        return;
      }
      if (!el || el.type === "file") return;
      if (el.type === "checkbox") el.checked = true;
      else if (el.tagName === "SELECT" && p[1] && !Array.prototype.some.call(el.options, function (o) { return o.value === p[1]; })) {
        // A record found by the picker's search: keep it chosen (its name shows once sent).
        el.add(new Option("#" + p[1], p[1], true, true));
      } else el.value = p[1];
    });
    if (draft.key) key.value = draft.key;
    started = true;
    onsite();
    showLocation();
  }

  function discard() {
    localStorage.removeItem(DRAFT);
    asking(false);
    PREFIXES.forEach(function (prefix) {
      var list = rows(prefix).querySelectorAll("[data-row]");
      for (var i = 1; i < list.length; i++) list[i].remove();
      renumber(prefix);
    });
    form.reset();
    key.value = uuid();
    started = false;
    clearErrors();
    onsite();
    showLocation();
    document.getElementById("draft-notice").hidden = true;
  }

  /* --- errors next to their fields ---------------------------------------- */
  function clearErrors() {
    form.querySelectorAll(".errors").forEach(function (e) { e.remove(); });
  }

  function showErrors(errors) {
    clearErrors();
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var place = form.querySelector('[data-field="' + name + '"]') || document.getElementById("form-errors");
      var div = document.createElement("div");
      div.className = "errors";
      div.textContent = errors[name].join(" ");
      place.appendChild(div);
      first = first || place;
    });
    if (first) first.scrollIntoView({block: "center"});
  }

  function missingRequired() {
    var errors = {};
    form.querySelectorAll("[required]").forEach(function (el) {
      if (!el.value.trim() && !el.closest("[hidden]")) errors[el.name] = [S.required];
    });
    return errors;
  }

  /* --- photos and location --------------------------------------------------- */
  /* Too many or too large: keep what fits and say what was left out, rather than emptying the choice
   * (which sent the entry with no photo at all). The limits come from the server (diaries/photos.py). */
  function checkPhotos(input) {
    var files = Array.prototype.slice.call(input.files), problems = [];
    var kept = files.filter(function (f) { return f.size <= +S.maxBytes; });
    if (kept.length < files.length) problems.push(S.tooBig);
    if (kept.length > +S.maxPhotos) { kept = kept.slice(0, +S.maxPhotos); problems.push(S.tooMany); }
    if (!problems.length) return;
    if (window.DataTransfer) {
      var dt = new DataTransfer();
      kept.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;  // setting files fires no change event, so this runs once
    } else {
      input.value = "";  // a browser that cannot keep part of a choice: choose again
    }
    showErrors({photos: problems});
  }

  form.addEventListener("change", function (ev) {
    if (ev.target.name === "photos") checkPhotos(ev.target);
    if (/-solved_on_site$/.test(ev.target.name)) onsite(ev.target.closest("[data-row]"));
  });

  function showLocation() {
    var lat = form.elements.latitude.value, lng = form.elements.longitude.value;
    document.getElementById("location-text").textContent = lat && lng ? S.located + " " + (+lat).toFixed(5) + ", " + (+lng).toFixed(5) : "";
  }

  document.getElementById("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { document.getElementById("location-text").textContent = S.noLocation; return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      showLocation();
      save();
    }, function () { document.getElementById("location-text").textContent = S.noLocation; }, {timeout: 15000});
  });

  /* --- submitting -------------------------------------------------------------- */
  function summary() {
    var st = form.elements.station, text = form.elements.content.value.trim();
    var where = st.selectedIndex >= 0 ? st.options[st.selectedIndex].text : "";
    return form.elements.visit_date.value + " " + where + " · " + text.slice(0, 24) + (text.length > 24 ? "…" : "");
  }

  function entries() {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && !(value instanceof File && !value.name)) out.push([name, value]);
    });
    return out;
  }

  /* Kept in the outbox; `why` is "offline", "login" (the session ended) or "busy" (the server). */
  function queue(list, why) {
    return window.MinqingOutbox.add(form.action || location.pathname, list, key.value, summary()).then(function () {
      discard();
      var notice = document.getElementById("draft-notice");
      document.getElementById("draft-text").textContent =
        why === "login" ? S.queuedLogin : why === "busy" ? S.queuedBusy : S.queued;
      document.getElementById("discard-draft").hidden = true;  // nothing left to discard
      notice.hidden = false;
      window.MinqingOutbox.explain(why);
      // The submit button is at the foot of a long form: bring the answer into view, and move the
      // focus to it so a screen reader reads it (the notice is also a live region).
      notice.scrollIntoView({block: "start"});
      notice.focus({preventScroll: true});
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (sending) return;
    var missing = missingRequired();
    if (Object.keys(missing).length) { showErrors(missing); return; }
    clearErrors();
    save();
    var list = entries(), button = document.getElementById("submit"), label = button.textContent;
    sending = true;
    button.disabled = true;
    button.textContent = S.sending;
    var done = function () { sending = false; button.disabled = false; button.textContent = label; };
    if (!navigator.onLine) { queue(list, "offline").then(done, done); return; }
    window.MinqingOutbox.send(form.action || location.pathname, list, key.value).then(function (res) {
      if (res.kind === "done") { localStorage.removeItem(DRAFT); location.href = res.url; return; }
      done();
      if (res.kind === "invalid") showErrors(res.errors);
      else queue(list, res.kind);
    });
  });

  form.addEventListener("input", save);
  form.addEventListener("change", save);
  /* Discarding deletes what was typed for good: ask in the page first. */
  function asking(on) {
    document.getElementById("discard-ask").hidden = !on;
    document.getElementById("discard-draft").hidden = on;
    if (on) document.getElementById("discard-cancel").focus();
  }
  document.getElementById("discard-draft").addEventListener("click", function () { asking(true); });
  document.getElementById("discard-cancel").addEventListener("click", function () { asking(false); });
  document.getElementById("discard-confirm").addEventListener("click", discard);
  document.addEventListener("outbox:edit", function (ev) {
    var item = ev.detail;
    load({key: item.key, fields: item.entries.filter(function (p) { return typeof p[1] === "string"; })});
    var files = item.entries.filter(function (p) { return p[1] instanceof Blob; });
    if (files.length && window.DataTransfer) {
      var dt = new DataTransfer();
      files.forEach(function (p) { dt.items.add(p[1]); });
      form.elements.photos.files = dt.files;
    }
    save();
    if (item.errors) showErrors(item.errors);
  });

  /* --- start: restore a draft left by a reload or a crash ------------------- */
  var raw = localStorage.getItem(DRAFT), draft = null;
  try { draft = raw && JSON.parse(raw); } catch (e) { draft = null; }
  if (draft && draft.fields) {
    load(draft);
    document.getElementById("draft-text").textContent = draft.photos ? S.restoredPhotos : S.restored;
    document.getElementById("draft-notice").hidden = false;
  }
  onsite();
})();
