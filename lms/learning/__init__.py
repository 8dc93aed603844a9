"""Enrollment, playback heartbeats, progress, completion, course tests and certificates."""
