"""Tagged, accessible PDF (PDF/UA-1) from one of the project's HTML templates, drawn by
WeasyPrint: headings, tables and lists become the PDF's structure tree, the page's `lang` its
language, its <title> the document title. No browser is needed.

WeasyPrint fetches only the project's own static files (the stylesheets the template links);
any other address is refused, so rendering a document never reaches the network."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

PDF_BASE_URL = "https://accelerator.invalid/"


class PdfFetchRefused(ValueError):
    """The template asked for something that is not one of the project's static files."""


def static_file(url):
    """(bytes, content type) of one of the project's static files named by `url`."""
    parts = urlsplit(url)
    path = parts.path
    if parts.scheme not in ("http", "https") or not path.startswith(settings.STATIC_URL) or ".." in path:
        raise PdfFetchRefused(url)
    try:
        found = finders.find(path[len(settings.STATIC_URL):])
    except SuspiciousFileOperation as error:
        raise PdfFetchRefused(url) from error
    if not found:
        raise PdfFetchRefused(url)
    with open(found, "rb") as handle:
        return handle.read(), "text/css" if path.endswith(".css") else "application/octet-stream"


def html_to_pdf(html):
    # Imported here: WeasyPrint loads Pango, which only this export needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            body, content_type = static_file(url)
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
