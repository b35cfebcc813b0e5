import datetime

from django.utils import timezone, translation

from accelerator.templatetags.accelerator_tags import short_date


def test_a_short_date_names_its_year_only_when_it_is_not_this_year():
    today = timezone.localdate()
    this_year, last_year = today.replace(day=4, month=12), datetime.date(today.year - 1, 12, 4)
    with translation.override("en"):
        assert short_date(this_year) == "4 Dec"
        assert short_date(last_year) == f"4 Dec {today.year - 1}"
        noon = datetime.datetime(today.year - 1, 12, 4, 12, tzinfo=datetime.UTC)
        assert short_date(noon) == f"4 Dec {today.year - 1}"
    with translation.override("es"):
        assert short_date(last_year) == f"4 Dic {today.year - 1}"
    assert short_date(None) == ""
