"""Messages to residents (RESIDENTS.md "Messages to residents"): received, answered, redo decided.

Each is sent once, through the outbox, by the SMS backend the settings name.
"""


def resident_told(request_id: int, kind: str) -> None:
    """Queue one message to the resident of a ResidentRequest; ``kind`` is received / answered / redo."""
    # Filled in by the residents' messages work (SMS backends); a no-op until then.
    return None
