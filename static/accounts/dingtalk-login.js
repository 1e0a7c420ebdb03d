// Sign-in inside the DingTalk client: the client hands over a code for the person it knows, and the
// server exchanges it (accounts.sso_views.sso_dingtalk_in_app) — no password prompt. Outside DingTalk,
// or when the page has no in-app form (DingTalk not configured), nothing happens.
(function () {
  "use strict";
  var form = document.getElementById("dingtalk-in-app");
  if (!form || !/DingTalk/i.test(navigator.userAgent) || typeof window.dd === "undefined") {
    return;
  }
  var dd = window.dd;
  dd.ready(function () {
    dd.runtime.permission.requestAuthCode({
      corpId: form.dataset.corpId,
      clientId: form.dataset.clientId,
      onSuccess: function (result) {
        form.elements.code.value = result.code;
        form.submit();
      },
      onFail: function () {
        // The password form stays: the person can still sign in with it.
      },
    });
  });
})();
