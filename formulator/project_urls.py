"""The site's URLs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from api.urls import no_such_path
from formulator.admin import view_on_site


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon where a page names none: the admin's pages, whose browsers then ask for /favicon.ico."""
    return HttpResponseRedirect(static("img/favicon.svg"))


# Django's "Django administration" named no product.
admin.site.site_header = "Mg Formulator administration"
admin.site.site_title = "Mg Formulator admin"
admin.site.index_title = "Library, evidence, designs and accounts"

urlpatterns = [
    # Before the admin's own, which answers for any design of any team.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("api/v1/", include("api.urls")),
    re_path(r"^api/(?P<rest>.*)$", no_such_path),  # /api/, /api/v2/...: the API's JSON 404, not the site's page
    # Sign-in, sign-out and changing one's password; not Django's password reset, which emails a link and the site sends
    # no email: it said "We've emailed you instructions" while nothing was sent. A superuser sets a new password.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("compounds.urls")),
    path("", include("evidence.urls")),
    path("", include("formulator.urls")),
]
