from django.http import Http404
from django_scopes import scopes_disabled

from accelerator.permissions import PermissionMixin


class StaffOnlyMixin(PermissionMixin):
    """A page for program staff only. Everyone else gets the same 404 as for a page that does
    not exist. These pages span every city of a cohort, so they run with scopes disabled,
    on purpose and visibly here."""

    hide_without_permission = True

    def dispatch(self, request, *args, **kwargs):
        with scopes_disabled():
            return super().dispatch(request, *args, **kwargs)


def int_or_404(value):
    """A database id from the address; anything else (or past the column's range) is a 404."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number
