/* Attaches HLS playback to every <video data-hls-src>: hls.js where Media Source
   Extensions exist, the browser's own HLS otherwise (Safari, iOS). Adds keyboard keys. */
(function () {
  "use strict";

  function attach(video) {
    if (video.dataset.hlsAttached) return;
    video.dataset.hlsAttached = "1";
    var src = video.dataset.hlsSrc;
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({ capLevelToPlayerSize: true });
      hls.loadSource(src);
      hls.attachMedia(video);
      hls.on(window.Hls.Events.ERROR, function (_event, data) {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
        else if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      });
      video.hls = hls;
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = src;
    }
    video.addEventListener("keydown", function (event) { onKey(video, event); });
  }

  function onKey(video, event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var handled = true;
    switch (event.key) {
      // Space stays with the browser: a focused <video controls> already toggles on
      // it, and handling it here as well would toggle twice.
      case "k":
      case "K":
        if (video.paused) video.play(); else video.pause();
        break;
      case "ArrowRight":
        video.currentTime = Math.min(video.duration || Infinity, video.currentTime + 5);
        break;
      case "ArrowLeft":
        video.currentTime = Math.max(0, video.currentTime - 5);
        break;
      case "ArrowUp":
        video.volume = Math.min(1, video.volume + 0.1);
        break;
      case "ArrowDown":
        video.volume = Math.max(0, video.volume - 0.1);
        break;
      case "m":
      case "M":
        video.muted = !video.muted;
        break;
      case "c":
      case "C":
        for (var i = 0; i < video.textTracks.length; i++) {
          var track = video.textTracks[i];
          track.mode = track.mode === "showing" ? "hidden" : "showing";
        }
        break;
      case "f":
      case "F":
        if (document.fullscreenElement) document.exitFullscreen();
        else if (video.requestFullscreen) video.requestFullscreen();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  }

  function attachAll() {
    document.querySelectorAll("video[data-hls-src]").forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
  window.mediaPipelineAttachPlayers = attachAll;
})();
