"""Shared fragments of the public pages, rendered once and then read from the cache:

    {% load fragments %}
    {% shared "edition" edition page_number %}…{% endshared %}

A list of objects each shown the same way wherever it appears (an initiative's card on the
list, country, theme and search pages) is kept one fragment per object, read in one round trip:

    {% shared_each "card" page.object_list "includes/initiative_card.html" "initiative" %}

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


class SharedEachNode(template.Node):
    def __init__(self, name, objects, template_name, as_name):
        self.name, self.objects = name, objects
        self.template_name, self.as_name = template_name, as_name

    def render(self, context):
        """The template rendered for each object, each a shared fragment of its own: the ones
        in the cache are read at once, the others rendered and kept."""
        name, objects = self.name.resolve(context), list(self.objects.resolve(context))
        request = getattr(context, "request", None)
        keys = [fragment_key(name, [item], request=request) for item in objects]
        found = cache.get_many(keys)
        missing = {}
        if len(found) < len(keys):
            each = context.template.engine.get_template(self.template_name.resolve(context))
            as_name = self.as_name.resolve(context)
            for key, item in zip(keys, objects, strict=True):
                if key not in found:
                    with context.push(**{as_name: item}):
                        missing[key] = found[key] = each.render(context)
            cache.set_many(missing, TIMEOUT)
        return "".join(found[key] for key in keys)


@register.tag
def shared_each(parser, token):
    bits = token.split_contents()
    if len(bits) != 5:
        raise template.TemplateSyntaxError(
            "'shared_each' takes a name, the objects, a template and the name of each object"
        )
    return SharedEachNode(*(parser.compile_filter(bit) for bit in bits[1:]))


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
