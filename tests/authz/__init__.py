"""The authorization matrix: every URL pattern of the project, every role, the exact status.

Each module in this package defines ``CASES``, a list of :class:`Case`. ``tests/test_authz_matrix.py``
walks the URL resolver and fails for any named pattern that no case covers, so a new view fails the
suite until its permissions are written down here.

Roles (see tests/conftest.py): the "owning agency" is Disdukcapil Kota Pekanbaru (Riau).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "owner_staff", "other_staff", "hub_officer", "other_officer", "ministry", "admin")

ROLE_USERS = {
    "owner_staff": "staff_pekanbaru",
    "other_staff": "staff_denpasar",
    "hub_officer": "officer_riau",
    "other_officer": "officer_bali",
    "ministry": "ministry",
    "admin": "admin",
}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, *, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


@dataclass
class Case:
    """One URL name and method, with the expected status for every role.

    ``kwargs(world)`` returns the URL kwargs and may create the objects it needs (each role runs in its
    own rolled-back savepoint, so state changes by one role never leak into the next).
    ``data(world, objects)`` returns POST data; ``objects`` is whatever ``kwargs`` stored on ``world``.
    """

    name: str
    method: str
    expect: dict[str, int]
    kwargs: Callable = field(default=lambda world: {})
    data: Callable = field(default=lambda world: {})
    query: str = ""
    id: str = ""

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        assert not missing, f"{self.name}: no expected status for {sorted(missing)}"
        self.id = self.id or f"{self.name}[{self.method}]"
