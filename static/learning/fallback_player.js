/* TODO(merge): the video pipeline's media_pipeline/player.js replaces this file.
   Attaches hls.js to every <video data-hls-src> (Safari plays HLS natively). */
(function () {
  "use strict";
  document.querySelectorAll("video[data-hls-src]").forEach(function (video) {
    var src = video.getAttribute("data-hls-src");
    if (window.Hls && window.Hls.isSupported()) {
      var hls = new window.Hls({ capLevelToPlayerSize: true });
      hls.loadSource(src);
      hls.attachMedia(video);
      video.hls = hls;
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = src;
    }
  });
})();
