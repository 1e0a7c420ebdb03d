/* The diary form's offline shell (README, "Offline").
 *
 * pwa.js, in the page, decides what is kept and for whom: one cache named for the signed-in officer
 * ("minqing-user-<id>"), holding the form page and the styles and scripts it loads. This worker only
 * answers from it: network first, the kept copy when the network fails or is too slow. It never keeps
 * anything by itself, so no other page or API answer ever lands on the phone. */
"use strict";
var PREFIX = "minqing-user-";
var FORM = "{% url 'diaries:new' %}", LOGOUT = "{% url 'logout' %}", STATIC = "{{ static_url }}";
// A mountain signal that connects but never answers: after this long the kept form is shown instead.
var SLOW = 6000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });

function userCache() {
  return caches.keys().then(function (names) {
    var mine = names.filter(function (n) { return n.indexOf(PREFIX) === 0; });
    // pwa.js keeps one at most; two would be two people's copies: serve neither rather than guess.
    return mine.length === 1 ? caches.open(mine[0]) : null;
  });
}

function forget() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0; })
      .map(function (n) { return caches.delete(n); }));
  });
}

// Vary: Cookie would never match a stored copy; the cache's name already says whose it is.
function kept(path) {
  return userCache().then(function (cache) { return cache && cache.match(path, {ignoreVary: true}); });
}

/* Refresh a copy that is already kept, with a fresh good answer (never a redirect to the login page). */
function refresh(path, res) {
  if (!res.ok || res.type !== "basic" || res.redirected) return;
  var copy = res.clone();
  userCache().then(function (cache) {
    return cache && cache.match(path, {ignoreVary: true}).then(function (old) { return old && cache.put(path, copy); });
  });
}

function networkFirst(request, path) {
  return new Promise(function (ok, ko) {
    var answered = false;
    var timer = setTimeout(function () {
      kept(path).then(function (hit) { if (hit && !answered) { answered = true; ok(hit); } });
    }, SLOW);
    fetch(request).then(function (res) {
      clearTimeout(timer);
      refresh(path, res);
      if (!answered) { answered = true; ok(res); }
    }, function (err) {
      clearTimeout(timer);
      kept(path).then(function (hit) {
        if (answered) return;
        answered = true;
        if (hit) ok(hit); else ko(err);
      });
    });
  });
}

self.addEventListener("fetch", function (ev) {
  var req = ev.request, url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST" && url.pathname === LOGOUT) {
    ev.waitUntil(forget());  // the next person on this phone must not open the last one's form
    return;
  }
  if (req.method !== "GET") return;
  if ((url.pathname === FORM && !url.search) || url.pathname.indexOf(STATIC) === 0) {
    ev.respondWith(networkFirst(req, url.pathname + url.search));
  } else if (req.mode === "navigate" && url.pathname === "/") {
    // The installed app starts at "/", which holds personal data and is not kept: offline, open the form.
    ev.respondWith(fetch(req).catch(function (err) {
      return kept(FORM).then(function (hit) { if (hit) return Response.redirect(FORM, 302); throw err; });
    }));
  }
});
