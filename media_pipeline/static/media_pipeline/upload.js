/* Resumable upload from the Wagtail admin: the file goes in parts, each part straight to
   S3 (presigned URL) or to our local part endpoint; parts already stored are skipped, so
   choosing the same file again after an interruption resumes it. */
(function () {
  "use strict";
  var form = document.getElementById("video-upload");
  if (!form) return;
  var progress = document.getElementById("video-progress");
  var status = document.getElementById("video-status");
  var startUrl = form.dataset.api; // .../media/uploads
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      if (response.status === 204) return null;
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.detail || response.statusText);
        return data;
      });
    });
  }

  function fileKey(file) {
    return "video-upload:" + file.name + ":" + file.size + ":" + file.lastModified;
  }

  function sendPart(upload, file, number) {
    var start = (number - 1) * upload.part_size;
    var blob = file.slice(start, Math.min(file.size, start + upload.part_size));
    var base = startUrl + "/" + upload.asset_id + "/parts/" + number;
    if (upload.backend === "s3") {
      return api("POST", base + "/url").then(function (data) {
        return fetch(data.url, { method: "PUT", body: blob }).then(function (r) {
          if (!r.ok) throw new Error("part " + number + ": " + r.status);
        });
      });
    }
    return fetch(base, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/octet-stream" },
      body: blob,
    }).then(function (r) {
      if (!r.ok) return r.json().then(function (d) { throw new Error(d.detail); });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = form.querySelector("input[type=file]").files[0];
    if (!file) return;
    var title = form.querySelector("input[name=title]").value;
    var saved = window.localStorage.getItem(fileKey(file));
    var begin = saved
      ? api("GET", startUrl + "/" + saved).catch(function () { return null; })
      : Promise.resolve(null);
    begin
      .then(function (upload) {
        if (upload && upload.state === "uploading") return upload;
        return api("POST", startUrl, { title: title, filename: file.name, size: file.size });
      })
      .then(function (upload) {
        window.localStorage.setItem(fileKey(file), upload.asset_id);
        var done = new Set(upload.parts_done);
        var count = upload.part_count;
        var chain = Promise.resolve();
        function show() {
          var pct = Math.round((done.size / count) * 100);
          progress.value = pct;
          status.textContent = pct + "%";
        }
        show();
        for (var n = 1; n <= count; n++) {
          (function (number) {
            if (done.has(number)) return;
            chain = chain.then(function () {
              return sendPart(upload, file, number).then(function () {
                done.add(number);
                show();
              });
            });
          })(n);
        }
        return chain.then(function () {
          return api("POST", startUrl + "/" + upload.asset_id + "/complete");
        });
      })
      .then(function () {
        window.localStorage.removeItem(fileKey(file));
        status.textContent = "업로드를 마쳤습니다. 변환을 시작합니다.";
        window.location.href = form.dataset.listUrl;
      })
      .catch(function (error) {
        status.textContent = "업로드가 멈췄습니다: " + error.message + " — 같은 파일을 다시 골라 이어 올리세요.";
      });
  });
})();
