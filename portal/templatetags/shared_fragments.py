"""`{% sharedfragment "name" part ... %}…{% endsharedfragment %}`: a piece of a page rendered once for
everyone who stands where the reader stands, until any content changes (portal/readcache.py).

The key is the fragment's name and parts, the content generation, the reader's standing in the
rule book and the active language; the rendered HTML is kept for READ_SECONDS. Only for markup
that depends on nothing but those, never around anything personal. Forms may be inside: the
reader's CSRF token is kept as a placeholder and put back for each reader. When the cache does
not answer, the fragment is simply rendered.
"""

from django import template
from django.utils.functional import empty
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal import readcache

register = template.Library()

TOKEN_PLACEHOLDER = readcache.TOKEN_PLACEHOLDER


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context):
        request = context.get("request")
        user = getattr(request, "user", None)
        parts = [self.name.resolve(context), get_language(), *(part.resolve(context) for part in self.parts)]
        key = readcache.key_for("fragment", parts, user)
        if key is None:
            return self.nodelist.render(context)
        cached = readcache.cached(key)
        if cached is not None:
            if TOKEN_PLACEHOLDER in cached:
                cached = readcache.put_back(cached, {TOKEN_PLACEHOLDER: str(context.get("csrf_token"))})
            return mark_safe(cached)  # noqa: S308 - our own rendered template output
        rendered = str(self.nodelist.render(context))
        token = context.get("csrf_token")
        # Asked for only when a form inside used it: a page without forms sets no CSRF cookie.
        if token is not None and getattr(token, "_wrapped", None) is not empty and str(token):
            readcache.keep(key, rendered.replace(str(token), TOKEN_PLACEHOLDER))
        else:
            readcache.keep(key, rendered)
        return mark_safe(rendered)  # noqa: S308 - our own rendered template output


@register.tag("sharedfragment")
def sharedfragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    nodelist = parser.parse(("endsharedfragment",))
    parser.delete_first_token()
    parts = [parser.compile_filter(bit) for bit in bits[2:]]
    return SharedFragmentNode(nodelist, parser.compile_filter(bits[1]), parts)
