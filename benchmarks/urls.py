"""The project's URLs plus the floor: a bare signed-in page every figure is divided by."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

FLOOR_URL = "/bench/floor/"


@login_required
def floor(request):
    """The least a signed-in page can cost: the whole middleware stack (session, user, scope,
    language, CSP, request log) and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(FLOOR_URL.strip("/") + "/", floor, name="bench_floor"),
    path("", include("accelerator.urls")),
]
