"""{% jinja "template.jinja#macro" name=value ... %}: a figures macro (formulator/jinja.py) shown in a Django template."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Node, Parser, Token
from django.utils.safestring import SafeString

from formulator import fragments

register = template.Library()

ERROR_JINJA_SYNTAX = '{tag} takes a quoted macro name and then name=value pairs only: {{% {tag} "t.jinja#macro" report=report %}}'
ERROR_JINJA_TWICE = "{tag} is given {name} twice."


class JinjaNode(Node):
    def __init__(self, name: str, values: dict[str, FilterExpression]) -> None:
        self.name = name
        self.values = values

    def render(self, context: template.Context) -> SafeString:
        # The macro sees these values only, never the page's context: what it shows is what it is given.
        return fragments.render(self.name, **{name: value.resolve(context) for name, value in self.values.items()})


@register.tag
def jinja(parser: Parser, token: Token) -> JinjaNode:
    tag, *bits = token.split_contents()
    if not bits or len(bits[0]) < 2 or bits[0][0] not in "\"'" or bits[0][-1] != bits[0][0]:
        raise template.TemplateSyntaxError(ERROR_JINJA_SYNTAX.format(tag=tag))
    values: dict[str, FilterExpression] = {}
    for bit in bits[1:]:
        name, equals, expression = bit.partition("=")
        if not equals or not name.isidentifier() or not expression:
            raise template.TemplateSyntaxError(ERROR_JINJA_SYNTAX.format(tag=tag))
        if name in values:
            raise template.TemplateSyntaxError(ERROR_JINJA_TWICE.format(tag=tag, name=name))
        values[name] = parser.compile_filter(expression)
    return JinjaNode(bits[0][1:-1], values)
