"""Wagtail pages and snippets: the site's content, managed by editors."""
