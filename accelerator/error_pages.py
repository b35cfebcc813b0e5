"""The 403 and 404 pages: the site's layout, a plain explanation and a way home, in the viewer's
language. Nothing on them depends on the address asked for, so "no such city" and "a city that
is not yours" give byte-identical pages (the tenancy tests compare them)."""

from django.shortcuts import render


def page_not_found(request, exception=None):
    return render(request, "404.html", {"error_page": True}, status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"error_page": True}, status=403)
