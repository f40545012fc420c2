"""{% memo "template#partial" name=value ... %}: a fragment rendered once per distinct set of values."""

from __future__ import annotations

from collections.abc import Hashable

from django import template
from django.utils.safestring import SafeString

from formulator import fragments

register = template.Library()


@register.simple_tag
def memo(template_name: str, **values: Hashable) -> SafeString:
    return fragments.render_memo(template_name, **values)
