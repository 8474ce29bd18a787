"""Template source rules that Django does not enforce itself."""

from pathlib import Path

from django.conf import settings


def test_no_template_comment_spans_lines():
    """`{# ... #}` is a one-line comment in Django: one that runs onto a second line is printed on the page, word for
    word (it once pushed "Leave this site" down from the top of every page). Longer notes use one `{# #}` a line or
    `{% comment %}`."""
    broken = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            rest = line
            while "{#" in rest:
                rest = rest.split("{#", 1)[1]
                if "#}" not in rest:
                    broken.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
                    break
                rest = rest.split("#}", 1)[1]
    assert not broken, f"Comments that run onto the next line (and so show on the page): {broken}"
