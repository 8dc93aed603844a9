"""Admin form widgets: `VideoChooser` picks a VideoAsset (page panels use it automatically)."""

from media_pipeline.viewsets import video_chooser_viewset

VideoChooser = video_chooser_viewset.widget_class
