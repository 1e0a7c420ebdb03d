/* Diary outbox: entries written without a connection wait in IndexedDB (photos
 * included) and are sent when the phone is online again. Each keeps its
 * idempotency key, so a resend after a lost answer never makes a second entry. */
(function () {
  "use strict";
  var DB = "minqing", STORE = "outbox";
  var box = document.getElementById("outbox");
  var user = box ? box.dataset.user : (document.getElementById("diary-form") || {dataset: {}}).dataset.user;
  var LOGIN_PATH = box ? box.dataset.loginUrl.split("?")[0] : "/accounts/login/";
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

  /* The cookie first: a form opened from the offline cache carries the token of the day it was cached,
   * and signing in again since then has rotated it. */
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* A slow upload is not a dead one, but a server that never answers is busy: give up after this long
   * and try again later (the Idempotency-Key makes the retry safe even if the first one got through). */
  var TIMEOUT = 90000;

  /* One attempt. Resolves to {kind: "done", url} | {kind: "invalid", errors} | {kind: "login"} (the session
   * has ended) | {kind: "busy"} (5xx or no answer in time) | {kind: "offline"} (no network); never rejects. */
  function send(action, entries, key) {
    var body = new FormData();
    entries.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken") return;
      if (pair[1] instanceof Blob) body.append(pair[0], pair[1], pair[1].name || "photo");
      else body.append(pair[0], pair[1]);
    });
    body.append("csrfmiddlewaretoken", csrfToken());
    var abort = window.AbortController ? new AbortController() : null, timedOut = false;
    var timer = abort && setTimeout(function () { timedOut = true; abort.abort(); }, TIMEOUT);
    return fetch(action, {
      method: "POST", body: body, credentials: "same-origin", signal: abort ? abort.signal : undefined,
      headers: {"Accept": "application/json", "Idempotency-Key": key, "X-CSRFToken": csrfToken()}
    }).then(function (res) {
      clearTimeout(timer);
      var json = (res.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      // An ended session: login_required redirects to the login page (fetch follows it); a lost
      // session's CSRF check or an API answers 401/403.
      if ((res.redirected && res.url.indexOf(LOGIN_PATH) >= 0) || res.status === 401 || res.status === 403) {
        return {kind: "login"};
      }
      if (!json) return {kind: "busy"};
      return res.json().then(function (data) {
        if (res.status === 200 || res.status === 201) return {kind: "done", url: data.url};
        if (res.status === 400) return {kind: "invalid", errors: data.errors || {}};
        return {kind: "busy"};
      });
    }, function () {
      clearTimeout(timer);
      return {kind: timedOut ? "busy" : "offline"};
    });
  }

  function add(action, entries, key, summary) {
    return put({key: key, user: user, action: action, created: Date.now(), summary: summary,
                entries: entries, state: "waiting", errors: null}).then(render);
  }

  /* The outbox's one status line: text, and a link when there is somewhere to go (the entry, the login). */
  function say(text, href, linkText) {
    var p = document.getElementById("outbox-status");
    if (!p) return;
    p.textContent = text;
    if (href) {
      var a = document.createElement("a");
      a.href = href; a.textContent = linkText;
      p.appendChild(document.createTextNode(" ")); p.appendChild(a);
    }
  }

  /* What the officer is told for an answer that keeps the entry here. The ended session also stops
   * showing them as signed in, since every page they open now asks them to sign in. */
  function explain(kind) {
    if (!box) return "";
    if (kind === "login") {
      document.body.classList.add("signed-out");
      say(box.dataset.login, box.dataset.loginUrl, box.dataset.signIn);
      return box.dataset.login;
    }
    var text = kind === "busy" ? box.dataset.busy : box.dataset.offline;
    say(text);
    return text;
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
            if (res.kind === "done") {
              if (box) say(box.dataset.sent, res.url, box.dataset.view);
              return remove(item.key);
            }
            if (res.kind === "invalid") { item.state = "rejected"; item.errors = res.errors; return put(item); }
            explain(res.kind);
            return true;  // signed out, offline or busy: keep the order, try later
          });
        });
      }, Promise.resolve(false));
    }).then(render, render).then(function () { flushing = false; }, function () { flushing = false; });
  }

  window.MinqingOutbox = {add: add, send: send, flush: flush, render: render, explain: explain};
  if (!window.indexedDB) return;
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { if (box) say(box.dataset.offline); });
  var sendNow = document.getElementById("outbox-send");
  if (sendNow) sendNow.addEventListener("click", flush);
  render().then(flush);
  setInterval(flush, 30000);
})();
