import pytest
from django.core.paginator import Paginator

from accelerator.models import User
from accelerator.pagination import CountingPaginator
from accelerator.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def pages_alike(mine, theirs):
    return ([u.pk for u in mine.object_list], mine.number, mine.paginator.count, mine.paginator.num_pages,
            mine.has_next(), mine.has_previous()) == ([u.pk for u in theirs.object_list], theirs.number,
                                                      theirs.paginator.count, theirs.paginator.num_pages,
                                                      theirs.has_next(), theirs.has_previous())


def test_counting_paginator_gives_the_pages_paginator_gives_in_one_query(django_assert_num_queries):
    people = User.objects.order_by("pk")
    with django_assert_num_queries(1):
        assert CountingPaginator(people, 2).get_page(1).paginator.count == 0
    assert pages_alike(CountingPaginator(people, 2).get_page(1), Paginator(people, 2).get_page(1))  # no one yet
    UserFactory.create_batch(5)
    for number in [1, 2, 3, 4, 99, 0, -1, "2", "x", None]:
        assert pages_alike(CountingPaginator(people, 2).get_page(number), Paginator(people, 2).get_page(number)), number
    with django_assert_num_queries(1):
        page = CountingPaginator(people, 2).get_page(2)
        assert (len(page.object_list), page.paginator.count, page.paginator.num_pages) == (2, 5, 3)
