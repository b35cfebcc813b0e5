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


def test_crispy_blank_reuses_a_blank_forms_markup_per_language_and_renders_anything_else_each_time():
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
    from django import forms as django_forms
    from django.utils import translation

    from accelerator.templatetags.accelerator_tags import crispy_blank
    from cohorts.forms.teams import TeamInviteForm

    for language in ("en", "es", "pt-br"):
        with translation.override(language):
            assert crispy_blank(TeamInviteForm()) == crispy_blank(TeamInviteForm()) == as_crispy_form(TeamInviteForm())
    with translation.override("es"):
        assert "Correo electrónico" in crispy_blank(TeamInviteForm())
    bound = TeamInviteForm(data={"email": "not an address"})
    assert "is-invalid" in crispy_blank(bound)
    assert 'value="Ana"' in crispy_blank(TeamInviteForm(initial={"full_name": "Ana"}))

    class Unflagged(django_forms.Form):
        name = django_forms.CharField()

        def __init__(self, *args, label="Name", **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["name"].label = label  # depends on its arguments: never reused

    assert "First" in crispy_blank(Unflagged(label="First"))
    assert "Second" in crispy_blank(Unflagged(label="Second"))


def test_time_tag_writes_what_the_date_filter_writes_in_the_viewers_zone_and_language():
    import zoneinfo

    from django.template import Context, Template

    from accelerator.templatetags.accelerator_tags import time_tag

    general = Template("""<time datetime="{{ d|date:'c' }}">{{ d|date:"j M Y, H:i" }}</time>""")
    moments = [datetime.datetime(2026, month, day, hour, minute, 7, 123456, tzinfo=datetime.UTC)
               for month, day, hour, minute in [(1, 1, 0, 0), (5, 9, 3, 7), (12, 31, 23, 59), (9, 15, 14, 30)]]
    for zone in ["UTC", "America/Bogota", "Asia/Kolkata", "Pacific/Auckland"]:
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            for language in ["en", "es", "pt-br"]:
                with translation.override(language):
                    for moment in moments:
                        assert time_tag(moment) == general.render(Context({"d": moment})), (zone, language, moment)
    assert time_tag(None) == ""
