"""The trainer pool (강사단): profiles, qualifications, availability, refresher training, materials."""
