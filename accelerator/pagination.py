"""Pages of a long list in one query: the page's rows carry the whole list's count."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window


class CountingPaginator(Paginator):
    """A Paginator for a queryset whose `get_page` reads the page's rows and the total count in
    one query (a window count on each row) instead of a COUNT and then the rows. A page past the
    end, or a number that is not one, gets Paginator's own answer (the last or the first page).
    Only for lists that allow an empty first page and keep no orphans (Paginator's defaults)."""

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number >= 1:
            bottom = (number - 1) * self.per_page
            rows = list(self.object_list.annotate(list_total=Window(Count("pk")))[bottom:bottom + self.per_page])
            if rows or (number == 1 and self.allow_empty_first_page):
                # Paginator.count is a cached property; no rows on the first page: an empty list.
                self.__dict__["count"] = rows[0].list_total if rows else 0
                return Page(rows, number, self)
        return super().get_page(number)
