"""Who hears about a case event. Called after the event's transaction commits."""


def event_committed(event_id: int) -> None:
    """Placeholder until the notifications app lands: nothing is sent yet."""
