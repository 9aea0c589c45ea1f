"""The main menu's entries for restricted pages. Each app registers, in its ``AppConfig.ready()``, the
rule that its page's own view applies, so the menu never offers a page that answers 403, and the core
needs to know none of the apps that add entries."""

_entries = {}


def register(name, rule):
    """Offer the menu entry ``name`` to the people for whom ``rule(user)`` is true."""
    _entries[name] = rule


class Menu:
    """What the main menu offers one person. Lazy: an entry's rule runs only when a template asks for
    it, once per request (``roles_of`` is one query per request, shared with the view)."""

    def __init__(self, user):
        self._user = user
        self._seen = {}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._seen:
            rule = _entries.get(name)
            self._seen[name] = bool(rule and self._user is not None and rule(self._user))
        return self._seen[name]
