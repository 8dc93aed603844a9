"""Video assets: upload, probe, transcode, package HLS, thumbnails, captions, storage."""
