"""{% memo "template#partial" name=value ... %}: a fragment rendered once per distinct set of values."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Node, Parser, Token
from django.utils.safestring import SafeString

from formulator import fragments

register = template.Library()

ERROR_MEMO_SYNTAX = '{tag} takes a quoted template name and then name=value pairs only: {{% {tag} "t.html#part" row=row %}}'
ERROR_MEMO_TWICE = "{tag} is given {name} twice."


class MemoNode(Node):
    # A node of its own rather than a simple tag: the workbench renders dozens of these per keystroke, and a
    # simple tag resolves and sorts its arguments and escapes its output on every call.
    def __init__(self, template_name: str, values: list[tuple[str, FilterExpression]]) -> None:
        self.template_name = template_name
        self.values = sorted(values, key=lambda pair: pair[0])

    def render(self, context: template.Context) -> SafeString:
        return fragments.render_memo(self.template_name, [(name, value.resolve(context)) for name, value in self.values])


@register.tag
def memo(parser: Parser, token: Token) -> MemoNode:
    tag, *bits = token.split_contents()
    if not bits or bits[0][0] not in "\"'" or bits[0][-1] != bits[0][0]:
        raise template.TemplateSyntaxError(ERROR_MEMO_SYNTAX.format(tag=tag))
    values = []
    for bit in bits[1:]:
        name, equals, expression = bit.partition("=")
        if not equals or not name.isidentifier() or not expression:
            raise template.TemplateSyntaxError(ERROR_MEMO_SYNTAX.format(tag=tag))
        if any(name == given for given, _ in values):
            raise template.TemplateSyntaxError(ERROR_MEMO_TWICE.format(tag=tag, name=name))
        values.append((name, parser.compile_filter(expression)))
    return MemoNode(bits[0][1:-1], values)
