import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ..models import CommentThread, MaturityRating, PublishedEdition, Revision, Strategy


@pytest.mark.django_db
def test_the_demo_shows_plans_at_every_stage(client, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    states = dict(Strategy.objects.values_list("city__slug", "status"))
    assert states["tulsa"] == "published" and states["santiago"] == "submitted"
    assert states["panama-city"] == "changes_requested" and states["montevideo"] == "endorsed"
    assert states["curitiba"] == "draft" and Strategy.objects.get(city__slug="louisville").edition == 2
    assert PublishedEdition.objects.filter(city__slug="louisville", edition=1).exists()
    assert Revision.objects.filter(city__slug="tulsa").count() > 20
    assert CommentThread.objects.filter(city__slug="curitiba", resolved_at__isnull=True).exists()
    assert MaturityRating.objects.filter(city__slug="tulsa", phase="end").count() == 4
    User = get_user_model()
    for email, slug in [("cdo.curitiba@example.org", "curitiba"), ("mayor.montevideo@example.org", "montevideo"),
                        ("coach@example.org", "santiago"), ("staff@example.org", "louisville")]:
        client.force_login(User.objects.get(email=email))
        for path in ["", "print/", "history/", "review/", "comments/", "export.docx"]:
            assert client.get(f"/cities/{slug}/strategy/{path}").status_code == 200, (email, path)
    client.force_login(User.objects.get(email="mayor.montevideo@example.org"))
    assert "Approve and publish" in client.get("/cities/montevideo/strategy/").content.decode()
