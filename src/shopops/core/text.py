"""English messages that a face can still say in the user's language: the gettext idiom of a pure module.

The engine and the JSON contract may not import Django (pure-domain contract), yet every reason and error
they produce is shown to people, Chinese first. So they build each message with ``gettext_noop``: the result
is the English text itself (a ``str``, so the JSON contract and the tests read it as before) that also
remembers its msgid and parameters. A face (API, CLI, campaign pages) calls ``pricing.messages.say`` on it,
which looks the msgid up with Django's gettext and fills in the parameters. ``makemessages`` extracts
``gettext_noop("...")`` calls, so these msgids land in the catalog like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class Text(str):
    """An English message (``msgid % params``) that keeps ``msgid`` and ``params`` for translation.

    A parameter may itself be a ``Text`` (a word of the sentence that needs translating too).
    """

    msgid: str
    params: Mapping[str, object]

    def __new__(cls, msgid: str, params: Mapping[str, object] | None = None) -> Text:
        self = super().__new__(cls, msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params if params is not None else {}
        return self

    def __reduce__(self) -> tuple:  # pickling keeps the msgid (for a campaign report queued to a worker)
        return (Text, (self.msgid, self.params))


def gettext_noop(msgid: str, /, **params: object) -> Text:
    """Mark ``msgid`` for translation and fill in ``params`` in English; a face translates it later."""
    return Text(msgid, params)


def listing(names: Sequence[str]) -> str:
    """``a, b, c`` (``a、b、c`` in Chinese): a list inside a message, its separator translated too."""
    text: str = names[-1] if names else ""
    for name in reversed(names[:-1]):
        text = gettext_noop("%(head)s, %(tail)s", head=name, tail=text)
    return text
