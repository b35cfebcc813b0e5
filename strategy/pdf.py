"""The strategy as a tagged PDF, drawn from the same template as the print view."""

from django.template.loader import render_to_string

from accelerator.pdf import html_to_pdf


def strategy_pdf(context, request=None):
    """PDF bytes of the print template rendered with `context` (a print-view context)."""
    html = render_to_string("strategy/print.html", {**context, "for_pdf": True}, request=request)
    return html_to_pdf(html)
