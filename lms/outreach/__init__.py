"""Outreach education (찾아가는 노동교육): requests, offers to trainers, sessions and their reports."""
