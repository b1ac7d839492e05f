from django import template

from outcomes.money import euro_range

register = template.Library()


@register.filter
def euros(item) -> str:
    """A range of anything with ``low``/``high`` (a total) or ``value_low``/``value_high``
    (an outcome, in its own price year)."""
    if item is None:
        return ""
    if hasattr(item, "value_high"):
        return euro_range(item.value_low, item.value_high)
    return euro_range(getattr(item, "low", None), getattr(item, "high", None))
