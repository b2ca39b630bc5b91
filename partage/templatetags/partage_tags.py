from django import template

from partage import selection

register = template.Library()


@register.simple_tag(takes_context=True)
def ma_selection(context):
    """[pk] of the services of this visitor's selection (`partage.selection`)."""
    return selection.ids(context["request"].session)
