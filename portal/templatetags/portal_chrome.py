"""`{% chrome_links as chrome %}`: the layout's addresses (portal/chrome.py) where no context processor
ran, as on the server error page, which is rendered without the request."""

from django import template

from portal import chrome

register = template.Library()


@register.simple_tag
def chrome_links() -> dict[str, str]:
    return chrome.links()
