from django import template

register = template.Library()


@register.inclusion_tag("strategy/includes/part_header.html", takes_context=True)
def part_header(context, key):
    progress = context.get("progress") or {}
    threads = context.get("threads") or {}
    return {
        "key": key, "p": progress.get(key), "threads_for_part": threads.get(key),
        "open_threads": (context.get("open_threads") or {}).get(key, []),
        "editable": context.get("editable"), "city": context.get("city"),
        "can_comment": context.get("can_comment") and not context.get("frozen"),
    }


@register.simple_tag
def change(before, after):
    return f"{after - before:+d}"


@register.inclusion_tag("strategy/includes/card.html", takes_context=True)
def strategy_card(context):
    """The strategy's state and completeness on a city's home page."""
    from ..models import Strategy

    city = context.get("city")
    if "strategy" in context:  # the page already read it (the city home)
        return {"city": city, "strategy": context["strategy"]}
    return {"city": city, "strategy": Strategy.objects.filter(city=city).first() if city else None}
