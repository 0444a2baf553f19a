"""The errors of self-government: an act the rules refuse, with a message that says which rule.

Every error of the pure domain derives from `DomainError`, so that the edges map them to one kind
of answer ("refused, because ...") in one place.

A refusal is raised with an English template and its parameters, never with finished text:
`MandateError("%(delegate)s holds no mandate on %(item)s", delegate=..., item=...)`. The template
is the translation catalogue's key, so the edges can say the same refusal in the reader's language
(`frombelow.services.refusals.explain`) while `str(error)`, the logs and the record keep English.
The core stays free of Django: it only keeps the template and the values apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar


class DomainError(ValueError):
    """An act that the statutes or the model of self-government refuse; the message says why.

    `template` is the English message with `%(name)s` placeholders, `params` the values that fill
    them; a literal per cent sign in a template with parameters is written `%%`.
    """

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params: Mapping[str, object] = params
        super().__init__(template % params if params else template)

    def recast(self, kind: type[_Kind]) -> _Kind:
        """Return the same refusal in the same words as another kind, which decides its answer."""
        return kind(self.template, **self.params)


_Kind = TypeVar("_Kind", bound=DomainError)


class Words(str):
    """An English phrase a refusal names as a value, which the catalogue translates too.

    The act refused ("casting a ballot") or an office ("membership officer") is written by the
    caller and filled into a template shared by many refusals; marking it `Words` lets the edges
    say it in the reader's language with the rest, where a plain value (a name, a slug, a number)
    is shown as it is.
    """

    __slots__ = ()


class StatuteError(DomainError):
    """A statute that cannot hold: a quorum above 1, a term of 0 days, an unknown method."""


class FederationError(DomainError):
    """A change to the federation graph or the roll that the model refuses."""


class UnknownBodyError(FederationError):
    """A body that the federation graph does not hold."""


class CycleError(FederationError):
    """A membership that would make a body a member of itself, through the bodies in `cycle`."""

    def __init__(self, template: str, /, *, cycle: tuple[str, ...], **params: object) -> None:
        super().__init__(template, **params)
        self.cycle = cycle


class RepresentationError(DomainError):
    """Seats or weights that cannot be given as asked."""


class MandateError(DomainError):
    """A mandate, a delegation's vote or a delegate's cast that the mandate rules refuse."""


class TermError(DomainError):
    """A term that breaks the statute: too long, extended, or held beyond the rotation limit."""


class PetitionError(DomainError):
    """A petition or signature that cannot count: a second signature, a signer who is no member."""


class ReferendumError(DomainError):
    """A referendum ballot that cannot count: a second ballot, a voter who is no member."""


class RecallError(DomainError):
    """A recall that the model refuses: by a body that did not elect, of a term already over."""


class StandingError(DomainError):
    """An act by someone the rules do not entitle to it: a non-member voting, an outsider."""


class DecisionError(DomainError):
    """A motion, vote or decision act the rules of deciding refuse: a second ballot, a late one."""


class DueProcessError(DomainError):
    """An expulsion, hiding or sanction without a stated charge and the accused's written reply."""
