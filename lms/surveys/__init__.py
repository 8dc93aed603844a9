"""Satisfaction surveys (5-point scale and comments), for courses and outreach sessions."""
