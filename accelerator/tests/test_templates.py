"""Template source checks that no page render would reveal until someone reads the page."""

from pathlib import Path

from django.template import Context, Template

ROOT = Path(__file__).resolve().parents[2]


def templates():
    return [path for path in sorted(ROOT.glob("**/templates/**/*")) if path.suffix in {".html", ".txt"}
            and ".venv" not in path.parts]


def test_no_short_comment_spans_lines():
    """Django's `{# … #}` ends on its own line: one left open is printed on the page, word for
    word. A comment longer than a line is `{% comment %}`."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if line.count("{#") > line.count("#}")
    ]
    assert not found, "\n".join(found)


def test_a_short_comment_left_open_is_printed_and_a_long_comment_is_not():
    """Why the check above matters, on Django's own engine."""
    assert "{# left" in Template("{# left\nopen #}").render(Context())
    assert Template("{% comment %}kept\nquiet{% endcomment %}").render(Context()) == ""
