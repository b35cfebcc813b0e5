"""Panels that later apps add to a session's page for one kind of session (the convening's
check-in code, for one). The calendar knows nothing of them: each app registers its own panel
when it loads, so the dependency runs from that app to the calendar, never back."""

_PANELS = {}


def register_session_panel(kind, render):
    """`render(session=…, user=…)` returns the panel's HTML, or "" when it has nothing for this viewer."""
    _PANELS.setdefault(kind, []).append(render)


def session_panels(session, user):
    """The HTML of every panel registered for the session's kind that has something for `user`."""
    if not user.is_authenticated:
        return []
    return [html for render in _PANELS.get(session.kind, ()) if (html := render(session=session, user=user))]
