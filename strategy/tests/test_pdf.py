"""The strategy's PDF is tagged PDF/UA: a structure tree with headings and tables, the
document's language and title, alternative text for the charts; drawn from the print template."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from .factories import approve_plan, build_plan
from .pdf_structure import pdf_structure

pytestmark = pytest.mark.django_db


def test_the_plans_pdf_is_tagged_with_language_title_headings_tables_and_chart_text(client, world):
    with scopes_disabled():
        build_plan(world.city, goals=2, actions=2)
    client.force_login(world.users["member"])
    response = client.get(reverse("strategy:export_pdf", kwargs={"city_slug": world.city.slug}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="data-strategy-alpha-city.pdf"' in response["Content-Disposition"]
    pdf = pdf_structure(response.content)
    assert pdf["has_tree"] and pdf["marked"] and pdf["pdfua"]
    assert pdf["lang"] == "en"
    assert pdf["title"].startswith("Data strategy of Alpha City")
    assert pdf["tags"]["/H1"] == 1 and pdf["tags"]["/H2"] >= 10
    assert pdf["tags"]["/Table"] >= 8 and pdf["tags"]["/TH"] and pdf["tags"]["/TD"]
    assert pdf["alts"] == ["Timeline of actions by quarter", "Maturity self-assessment: baseline and end of program"]
    assert "governance goal 2 action 2" in pdf["text"]


def test_the_public_pdf_speaks_the_citys_language(client, world):
    with scopes_disabled():
        world.city.language = "pt-br"
        world.city.save(update_fields=["language"])
        approve_plan(world.city, public=True)
    response = client.get(reverse("strategy:public_pdf", kwargs={"cohort_slug": world.cohort.slug,
                                                                 "place_slug": world.city.slug}))
    pdf = pdf_structure(response.content)
    assert pdf["lang"] == "pt-br"
    assert pdf["title"].startswith("Estratégia de dados de Alpha City")
    assert pdf["has_tree"] and pdf["alts"]


def test_the_renderer_fetches_only_the_projects_static_files():
    from accelerator.pdf import PdfFetchRefused, static_file

    body, content_type = static_file("https://accelerator.invalid/static/css/strategy-pdf.css")
    assert b"@page" in body and content_type == "text/css"
    for url in ("file:///work/static/css/strategy-pdf.css", "https://accelerator.invalid/static/../../etc/passwd",
                "https://accelerator.invalid/static/css/none.css", "https://accelerator.invalid/media/x.pdf"):
        with pytest.raises(PdfFetchRefused):
            static_file(url)
