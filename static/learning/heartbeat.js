/* Playback heartbeats (DESIGN.md, "Online learning").
   Every 10 s and on pause, seek, end and page hide, the media ranges played since the last
   beat go to the server with a playback-session id and a sequence number. Beats not yet
   acknowledged wait in a queue kept in localStorage and are retried with backoff; on page
   hide they also go out by navigator.sendBeacon. The server ignores a beat it has seen, so
   sending one twice is harmless. Keyboard: Space/K plays or pauses, ←/→ move 5 s. */
(function () {
  "use strict";
  var root = document.querySelector(".lesson-player");
  var video = document.getElementById("lesson-video");
  if (!root || !video) return;

  var BEAT_MS = 10000;
  var heartbeatUrl = root.dataset.heartbeatUrl;
  var beaconUrl = root.dataset.beaconUrl;
  var csrfInput = root.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var storeKey = "sla-beats:" + root.dataset.lessonId;
  var resumeAt = parseFloat(root.dataset.resume || "0");
  var status = document.getElementById("lesson-sync-status");

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var sessionId = uuid4();
  var seq = 0;
  var started = false;
  var segmentStart = null; // media time where the current continuous stretch began
  var lastTime = 0;
  var played = []; // ranges since the last beat
  var queue = load();
  var inflight = false;
  var retryDelay = 1000;
  var retryTimer = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "[]"); } catch (e) { return []; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(queue.slice(-500))); } catch (e) { /* private mode */ }
  }

  function closeSegment(at) {
    if (segmentStart !== null && at > segmentStart + 0.01) {
      played.push([Math.round(segmentStart * 1000) / 1000, Math.round(at * 1000) / 1000]);
    }
    segmentStart = null;
  }

  function beat() {
    if (!video.paused && !video.seeking) {
      closeSegment(video.currentTime);
      segmentStart = video.currentTime;
    }
    queue.push({
      session_id: sessionId,
      seq: seq++,
      ranges: played,
      position: video.currentTime || 0,
      playback_rate: video.playbackRate || 1
    });
    played = [];
    save();
    flush();
  }

  function show(progress) {
    var value = document.getElementById("lesson-progress-value");
    var bar = document.getElementById("lesson-progress-bar");
    var state = document.getElementById("lesson-progress-state");
    if (value) value.textContent = progress.progress + "%";
    if (bar) bar.value = progress.progress;
    if (state) state.textContent = progress.completed ? "· 이수" : "";
    // Another lesson of the learner is playing and keeps the credited time (one clock
    // per learner): this one's ranges count, its time does not, until that one stops.
    var held = document.getElementById("lesson-credit-held");
    if (held) {
      var holder = progress.credit_held_by;
      held.textContent = holder
        ? "다른 강의(" + holder.title + ")가 재생 중이라 이 강의의 학습 시간은 인정되지 않습니다. 그 강의를 멈추면 잠시 뒤부터 다시 인정됩니다."
        : "";
      held.hidden = !holder;
    }
  }

  function flush() {
    if (inflight || !queue.length) return;
    inflight = true;
    var next = queue[0];
    fetch(heartbeatUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(next)
    }).then(function (response) {
      inflight = false;
      if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 401)) {
        // Acknowledged, or refused for good: either way it leaves the queue.
        queue.shift();
        save();
        retryDelay = 1000;
        if (status) status.textContent = "";
        if (response.ok) return response.json().then(function (p) { show(p); flush(); });
        flush();
        return null;
      }
      throw new Error("status " + response.status);
    }).catch(function () {
      inflight = false;
      if (status) status.textContent = "연결이 불안정합니다. 학습 기록을 보관해 두었다가 다시 보냅니다.";
      clearTimeout(retryTimer);
      retryTimer = setTimeout(flush, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    });
  }

  video.addEventListener("loadedmetadata", function () {
    if (resumeAt > 1 && resumeAt < (video.duration || Infinity) - 1) video.currentTime = resumeAt;
  });
  video.addEventListener("playing", function () {
    segmentStart = video.currentTime;
    lastTime = video.currentTime;
    if (!started) { started = true; beat(); } // opens the playback session on the server
  });
  video.addEventListener("timeupdate", function () {
    if (video.paused || video.seeking) return;
    var now = video.currentTime;
    // A jump larger than playback could make is a seek the events did not report.
    if (segmentStart === null || now < lastTime || now - lastTime > 2 * (video.playbackRate || 1) + 1) {
      closeSegment(lastTime);
      segmentStart = now;
    }
    lastTime = now;
  });
  video.addEventListener("seeking", function () {
    closeSegment(lastTime);
  });
  video.addEventListener("seeked", function () {
    lastTime = video.currentTime;
    if (!video.paused) segmentStart = video.currentTime;
    if (started) beat();
  });
  video.addEventListener("pause", function () {
    closeSegment(video.currentTime);
    beat();
  });
  video.addEventListener("ended", function () {
    closeSegment(video.duration || video.currentTime);
    beat();
  });
  video.addEventListener("ratechange", function () {
    if (!video.paused) beat(); // a beat covers one rate
  });
  setInterval(function () {
    if (started && !video.paused) beat();
  }, BEAT_MS);
  window.addEventListener("online", flush);

  function sendBeacon() {
    if (!started) return;
    if (!video.paused) {
      closeSegment(video.currentTime);
      segmentStart = video.currentTime;
    }
    if (played.length) {
      queue.push({ session_id: sessionId, seq: seq++, ranges: played, position: video.currentTime, playback_rate: video.playbackRate || 1 });
      played = [];
      save();
    }
    if (!queue.length || !navigator.sendBeacon) return;
    var form = new FormData();
    form.append("csrfmiddlewaretoken", csrf);
    form.append("beats", JSON.stringify(queue.slice(0, 50)));
    // The queue stays stored: the next visit sends it again, and duplicates are harmless.
    navigator.sendBeacon(beaconUrl, form);
  }
  window.addEventListener("pagehide", sendBeacon);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") sendBeacon();
  });

  // Keyboard play/pause and seeking belong to the player (media_pipeline/player.js).

  flush(); // beats left over from an earlier visit
})();
