"""The Wagtail chooser for video assets, used by page panels and StreamField blocks."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.chooser import ChooserViewSet


class VideoChooserViewSet(ChooserViewSet):
    model = "media_pipeline.VideoAsset"
    icon = "media"
    choose_one_text = _("영상 고르기")
    choose_another_text = _("다른 영상 고르기")
    edit_item_text = _("영상 정보")
    page_title = _("영상 고르기")
    url_filter_parameters = ["state"]
    preserve_url_parameters = ["multiple", "state"]
    creation_form_class = None
    form_fields = None


video_chooser_viewset = VideoChooserViewSet("video_chooser")
