"""StreamField blocks: `VideoChooserBlock` stores a VideoAsset chosen in the admin."""

from media_pipeline.viewsets import video_chooser_viewset

VideoChooserBlock = video_chooser_viewset.get_block_class(
    name="VideoChooserBlock", module_path="media_pipeline.blocks"
)
