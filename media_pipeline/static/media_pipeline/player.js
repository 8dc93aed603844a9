/* Attaches HLS playback to every <video data-hls-src>: hls.js where Media Source
   Extensions exist, the browser's own HLS otherwise (Safari, iOS). Adds keyboard keys. */
(function () {
  "use strict";

  // Media URLs in our playlists work for a few minutes only (presigned on S3, signed
  // for the local media view). Before a request would use one that is about to lapse,
  // the playlist that named it is fetched again and the fresh URL is used instead.
  var MARGIN_MS = 20000;

  function expiresAt(url) {
    var query = url.split("?")[1] || "";
    var params = new URLSearchParams(query);
    if (params.get("expires")) return Number(params.get("expires")) * 1000;
    var date = params.get("X-Amz-Date");
    var lifetime = params.get("X-Amz-Expires");
    if (date && lifetime) {
      var iso = date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z");
      return Date.parse(iso) + Number(lifetime) * 1000;
    }
    return Infinity;
  }

  function pathOf(url) {
    return new URL(url, window.location.href).origin + new URL(url, window.location.href).pathname;
  }

  function UrlBook() {
    this.fresh = {};      // path -> newest URL seen
    this.playlistOf = {}; // path -> the playlist URL that names it
    this.pending = {};
  }
  UrlBook.prototype.learn = function (playlistUrl, text) {
    var base = new URL(playlistUrl, window.location.href);
    var book = this;
    text.split("\n").forEach(function (line) {
      var uris = [];
      var found = /URI="([^"]+)"/.exec(line);
      if (found) uris.push(found[1]);
      else if (line && line.charAt(0) !== "#") uris.push(line.trim());
      uris.forEach(function (uri) {
        var absolute = new URL(uri, base).href;
        var path = pathOf(absolute);
        book.fresh[path] = absolute;
        book.playlistOf[path] = playlistUrl;
      });
    });
  };
  UrlBook.prototype.refresh = function (playlistUrl) {
    var book = this;
    if (!this.pending[playlistUrl]) {
      this.pending[playlistUrl] = fetch(playlistUrl, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (text) { if (text) book.learn(playlistUrl, text); })
        .finally(function () { delete book.pending[playlistUrl]; });
    }
    return this.pending[playlistUrl];
  };
  UrlBook.prototype.urlFor = function (url) {
    var path = pathOf(url);
    var newest = this.fresh[path] || url;
    if (expiresAt(newest) - Date.now() > MARGIN_MS) return Promise.resolve(newest);
    var playlistUrl = this.playlistOf[path];
    if (!playlistUrl) return Promise.resolve(newest);
    var book = this;
    return this.refresh(playlistUrl).then(function () { return book.fresh[path] || newest; });
  };

  function attach(video) {
    if (video.dataset.hlsAttached) return;
    video.dataset.hlsAttached = "1";
    var src = video.dataset.hlsSrc;
    if (window.Hls && window.Hls.isSupported()) {
      var book = new UrlBook();
      var hls = new window.Hls({
        capLevelToPlayerSize: true,
        xhrSetup: function (xhr, url) {
          return book.urlFor(url).then(function (fresh) {
            xhr.open("GET", fresh, true);
          });
        },
      });
      function learnFrom(_event, data) {
        var details = data.details;
        if (!details || !details.url) return;
        book.refresh(details.url);
      }
      hls.on(window.Hls.Events.LEVEL_LOADED, learnFrom);
      hls.on(window.Hls.Events.AUDIO_TRACK_LOADED, learnFrom);
      hls.on(window.Hls.Events.SUBTITLE_TRACK_LOADED, learnFrom);
      hls.loadSource(src);
      hls.attachMedia(video);
      hls.on(window.Hls.Events.ERROR, function (_event, data) {
        if (!data.fatal) return;
        if (data.type === window.Hls.ErrorTypes.NETWORK_ERROR) hls.startLoad();
        else if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
      });
      video.hls = hls;
      video.hlsUrls = book;
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
