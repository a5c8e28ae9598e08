from django import template

from portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """User-written Markdown as sanitised HTML."""
    return render_markdown(text or "")
