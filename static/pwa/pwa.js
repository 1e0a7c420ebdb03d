/* Installs the service worker and keeps the diary form for offline use, for the signed-in officer only.
 *
 * The copy lives in one Cache Storage cache named for the user ("minqing-user-<id>"): every page says who
 * is signed in (nobody, on the login page after a sign-out or an ended session) and every other user's
 * copy is deleted, so a shared phone never opens the last person's form. Only a page marked
 * data-offline-shell (the diary form) is kept, with the styles and scripts it loads; its stations and
 * categories are in its HTML. /sw.js answers from that copy when the network fails. */
(function () {
  "use strict";
  var me = document.currentScript.dataset;
  if (!("serviceWorker" in navigator) || !window.caches) return;
  var PREFIX = "minqing-user-", mine = me.user ? PREFIX + me.user : "";

  var cleared = caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf(PREFIX) === 0 && n !== mine; })
      .map(function (n) { return caches.delete(n); }));
  });
  if (!mine) return;
  var ready = navigator.serviceWorker.register(me.worker, {scope: "/"}).then(function () {
    return navigator.serviceWorker.ready;
  });
  if (!document.querySelector("[data-offline-shell]")) return;

  var urls = [location.pathname];
  document.querySelectorAll("link[rel=stylesheet], script[src]").forEach(function (el) {
    var url = new URL(el.href || el.src, location.href);
    if (url.origin === location.origin) urls.push(url.pathname);
  });

  /* Fetch what is not kept yet; what is kept, the worker refreshes whenever the network answers. */
  function keep(cache, url) {
    return cache.match(url, {ignoreVary: true}).then(function (hit) {
      if (hit) return;
      return fetch(url, {credentials: "same-origin"}).then(function (res) {
        // A redirect (to the login page) is not the form: keep nothing.
        if (res.ok && !res.redirected) return cache.put(url, res);
      });
    });
  }

  Promise.all([
    cleared.then(function () { return caches.open(mine); }).then(function (cache) {
      return Promise.all(urls.map(function (url) { return keep(cache, url); }));
    }),
    ready
  ]).then(function () {
    document.documentElement.dataset.offline = "ready";  // for the browser test, and for curious eyes
  }, function () { /* no offline copy this time: the form still works online */ });
})();
