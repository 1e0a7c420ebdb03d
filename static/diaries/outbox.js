/* Diary outbox: entries written without a connection wait in IndexedDB (photos
 * included) and are sent when the phone is online again. Each keeps its
 * idempotency key, so a resend after a lost answer never makes a second entry. */
(function () {
  "use strict";
  var DB = "minqing", STORE = "outbox";
  var box = document.getElementById("outbox");
  var user = box ? box.dataset.user : (document.getElementById("diary-form") || {dataset: {}}).dataset.user;
  var flushing = false;

  function open() {
    return new Promise(function (ok, ko) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, {keyPath: "key"}); };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { ko(req.error); };
    });
  }

  function run(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (ok, ko) {
        var t = db.transaction(STORE, mode), req = fn(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); ok(req ? req.result : undefined); };
        t.onerror = function () { db.close(); ko(t.error); };
      });
    });
  }

  function all() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).filter(function (i) { return i.user === user; })
        .sort(function (a, b) { return a.created - b.created; });
    });
  }
  function put(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }); }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  /* One attempt. Resolves to {kind: "done", url} | {kind: "invalid", errors} |
   * {kind: "login"} | {kind: "retry"}; never rejects. */
  function send(action, entries, key) {
    var body = new FormData();
    entries.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken") return;
      if (pair[1] instanceof Blob) body.append(pair[0], pair[1], pair[1].name || "photo");
      else body.append(pair[0], pair[1]);
    });
    body.append("csrfmiddlewaretoken", csrfToken());
    return fetch(action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json", "Idempotency-Key": key, "X-CSRFToken": csrfToken()}
    }).then(function (res) {
      var json = (res.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) return {kind: res.status === 403 || res.redirected ? "login" : "retry"};
      return res.json().then(function (data) {
        if (res.status === 200 || res.status === 201) return {kind: "done", url: data.url};
        if (res.status === 400) return {kind: "invalid", errors: data.errors || {}};
        return {kind: "retry"};
      });
    }, function () { return {kind: "retry"}; });
  }

  function add(action, entries, key, summary) {
    return put({key: key, user: user, action: action, created: Date.now(), summary: summary,
                entries: entries, state: "waiting", errors: null}).then(render);
  }

  function say(text, href) {
    var p = document.getElementById("outbox-status");
    if (!p) return;
    p.textContent = text;
    if (href) {
      var a = document.createElement("a");
      a.href = href; a.textContent = href;
      p.appendChild(document.createTextNode(" ")); p.appendChild(a);
    }
  }

  function render() {
    if (!box) return Promise.resolve();
    return all().then(function (items) {
      var list = document.getElementById("outbox-list");
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li"), state = document.createElement("span");
        li.className = item.state;
        li.dataset.key = item.key;
        li.appendChild(document.createTextNode(item.summary + " "));
        state.className = "state";
        state.textContent = item.state === "rejected" ? box.dataset.rejected : box.dataset.waiting;
        li.appendChild(state);
        if (item.state === "rejected") {
          var errs = document.createElement("div");
          errs.className = "errors";
          errs.textContent = Object.keys(item.errors || {}).map(function (k) { return item.errors[k].join(" "); }).join(" ");
          li.appendChild(errs);
          if (document.getElementById("diary-form")) {
            var edit = document.createElement("button");
            edit.type = "button"; edit.className = "link"; edit.textContent = box.dataset.edit;
            edit.addEventListener("click", function () {
              remove(item.key).then(render).then(function () {
                document.dispatchEvent(new CustomEvent("outbox:edit", {detail: item}));
              });
            });
            li.appendChild(edit);
          }
        }
        list.appendChild(li);
      });
      box.hidden = items.length === 0 && !document.getElementById("outbox-status").textContent;
      return items;
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return all().then(function (items) {
      var waiting = items.filter(function (i) { return i.state === "waiting"; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function (stop) {
          if (stop) return stop;
          return send(item.action, item.entries, item.key).then(function (res) {
            if (res.kind === "done") { say(box ? box.dataset.sent : "", res.url); return remove(item.key); }
            if (res.kind === "invalid") { item.state = "rejected"; item.errors = res.errors; return put(item); }
            if (res.kind === "login") { say(box ? box.dataset.login : ""); return true; }
            return true;  // still offline or the server is busy: keep the order, try later
          });
        });
      }, Promise.resolve(false));
    }).then(render, render).then(function () { flushing = false; }, function () { flushing = false; });
  }

  window.MinqingOutbox = {add: add, send: send, flush: flush, render: render};
  if (!window.indexedDB) return;
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { if (box) say(box.dataset.offline); });
  var sendNow = document.getElementById("outbox-send");
  if (sendNow) sendNow.addEventListener("click", flush);
  render().then(flush);
  setInterval(flush, 30000);
})();
