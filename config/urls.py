from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api, api_not_found

urlpatterns = [
    path("api/v1/", api.urls),
    # Any other path under /api/ is a problem+json 404, not a page of the site.
    re_path(r"^api/", api_not_found),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    # Pages of the apps outside the Wagtail page tree, one line per app.
    path("", include("media_pipeline.urls")),
    path("", include("cms.urls")),
    path("", include("lms.learning.urls")),
    path("", include("lms.outreach.urls")),
    path("", include("lms.trainers.urls")),
    path("", include("lms.privacy.urls")),
    path("", include("lms.organizations.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every other path from the page tree; it comes last.
urlpatterns.append(path("", include(wagtail_urls)))

# A page whose request meets an unreachable database answers 503 "try again" (not 500).
handler500 = "config.errors.server_error_page"
