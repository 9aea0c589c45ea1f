from tests.authz import Case, everyone

CASES = [
    # Readiness probe for load balancers: database and cache reachable. Public, like /healthz.
    Case("readyz", "get", everyone(200)),
    Case("readyz", "post", everyone(405)),
]
