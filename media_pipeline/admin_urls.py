"""URLs of the video admin pages, mounted under /admin/videos/ by wagtail_hooks."""

from django.urls import path

from media_pipeline import admin_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("upload/", admin_views.upload, name="upload"),
    path("<uuid:asset_id>/", admin_views.detail, name="detail"),
    path("<uuid:asset_id>/reprocess/", admin_views.reprocess, name="reprocess"),
    path("<uuid:asset_id>/delete/", admin_views.delete, name="delete"),
]
