"""The ground floor that every layer may use (nothing here imports lms, cms or media_pipeline)."""
