from django import template
from django.utils.safestring import SafeString

from portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """`{{ resource.description|markdown }}`: authored Markdown as sanitised HTML."""
    return render_markdown(text)
