"""Tamper-evident training records: a hash chain per organization (or 개인) and year.

Each completion, certificate, test attempt and identity check is appended as a record
whose hash covers the previous record's hash and its own canonical JSON payload, so any
change to a stored row (payload, hash, prev_hash, a deleted or inserted row) breaks the
chain at that row. `verify` finds the first broken link. The head hash is exported in the
organization's evidence pack: a copy kept outside the database is what makes a rewrite
of the whole chain detectable.
"""
