"""Shared fragments of the public pages, rendered once and then read from the cache:

    {% load fragments %}
    {% shared "edition" edition page_number %}…{% endshared %}

A fragment is what every visitor of the page sees alike (never the header's account link, a
message or a form's CSRF token): it is kept per language and content generation
(``public.cache.fragment_key``), so any change to public content shows at once, and varies by
the values named after its name. The view hands the fragment's data over lazily (querysets,
``public.cache.later``), so a fragment read from the cache costs no query.
"""

from django import template

from ..cache import TIMEOUT, cache, fragment_key

register = template.Library()


class SharedNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        key = fragment_key(
            self.name.resolve(context),
            [value.resolve(context) for value in self.vary],
            request=getattr(context, "request", None),  # the generation once per request
        )
        content = cache.get(key)
        if content is None:
            content = self.nodelist.render(context)
            cache.set(key, content, TIMEOUT)
        return content


@register.tag
def shared(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'shared' takes a name, then what it varies by")
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in bits[2:]],
    )
