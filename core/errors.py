"""Domain errors every app may raise, answered the same way by the API (core.api.errors) and the pages."""


class StateConflict(Exception):
    """The object's state does not allow the action now (HTTP 409).

    ``status`` is the state it is in; ``explain()`` says why in the user's language.
    """

    status: str = ""

    def explain(self) -> str:
        return str(self)
