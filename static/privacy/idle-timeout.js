/* Staff idle timeout in the Wagtail admin: warn before the server ends the session,
 * and let the person extend it. Settings come from the script tag's data attributes. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var timeout = parseInt(script.dataset.timeout, 10) * 1000;
  var warning = parseInt(script.dataset.warning, 10) * 1000;
  var extendUrl = script.dataset.extendUrl;
  var loginUrl = script.dataset.loginUrl;
  var warnTimer, expireTimer, tickTimer, deadline, box;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function hide() {
    if (box) box.hidden = true;
    clearInterval(tickTimer);
  }

  function remaining() {
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    return Math.floor(seconds / 60) + "분 " + (seconds % 60) + "초";
  }

  function show() {
    if (!box) {
      box = document.createElement("div");
      box.id = "idle-timeout-warning";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-live", "assertive");
      box.setAttribute("aria-labelledby", "idle-timeout-text");
      box.className = "idle-timeout-warning";
      var text = document.createElement("p");
      text.id = "idle-timeout-text";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.id = "idle-timeout-extend";
      button.textContent = "로그인 연장";
      button.addEventListener("click", extend);
      box.appendChild(text);
      box.appendChild(button);
      document.body.appendChild(box);
    }
    box.hidden = false;
    var update = function () {
      box.firstChild.textContent =
        "오랫동안 사용하지 않아 " + remaining() + " 후 자동으로 로그아웃됩니다.";
    };
    update();
    tickTimer = setInterval(update, 1000);
    box.lastChild.focus();
  }

  function expire() {
    hide();
    window.location.href = loginUrl + "?next=" + encodeURIComponent(window.location.pathname);
  }

  function schedule(seconds) {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    var total = seconds * 1000;
    deadline = Date.now() + total;
    warnTimer = setTimeout(show, Math.max(0, total - warning));
    // A little after the server's own deadline, so the login page finds the session gone.
    expireTimer = setTimeout(expire, total + 2000);
  }

  function extend() {
    fetch(extendUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (body) {
        hide();
        schedule(body.expires_in);
      })
      .catch(expire);
  }

  schedule(timeout / 1000);
})();
