import importlib
import pkgutil

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

import tests.authz as authz_package
from tests.authz import ROLE_USERS, ROLES


def _modules():
    for info in pkgutil.iter_modules(authz_package.__path__):
        yield importlib.import_module(f"tests.authz.{info.name}")


ALL_CASES = [case for module in _modules() for case in module.CASES]
EXEMPT_PREFIXES = tuple(p for module in _modules() for p in getattr(module, "EXEMPT_PREFIXES", ()))


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                yield f"{namespace}{pattern.name}"
            else:
                yield f"{namespace}<unnamed {pattern.pattern}>"


def test_every_url_pattern_is_in_the_matrix():
    covered = {case.name for case in ALL_CASES}
    missing = sorted(
        name for name in set(_url_names()) if name not in covered and not name.startswith(EXEMPT_PREFIXES)
    )
    assert not missing, f"URL patterns without an authorization case in tests/authz/: {missing}"


def test_every_case_states_both_methods_where_they_apply():
    methods = {}
    for case in ALL_CASES:
        methods.setdefault(case.name, set()).add(case.method)
    lonely_gets = sorted(
        name for name, m in methods.items() if m == {"get"} and not name.startswith("admin:")
    )
    # A GET-only view must also state what a POST gets (405), and a POST-only one what a GET gets.
    assert not lonely_gets, f"cases without the other method: {lonely_gets}"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: case.id)
def test_authorization_matrix(case, world, client):
    results = {}
    for role in ROLES:
        cache.clear()  # each role starts afresh: rate-limit counters are not shared between them
        with transaction.atomic():
            kwargs = case.kwargs(world)
            url = reverse(case.name, kwargs=kwargs) + (f"?{case.query}" if case.query else "")
            client.logout()
            if role != "anonymous":
                client.force_login(getattr(world, ROLE_USERS[role]))
            if case.method == "get":
                response = client.get(url)
            else:
                response = client.post(url, case.data(world))
            results[role] = response.status_code
            transaction.set_rollback(True)
    assert results == case.expect
