from tests.authz import Case, everyone

CASES = [
    Case("home", "get", everyone(200)),
    Case("home", "post", everyone(405)),
    Case("province_detail", "get", everyone(200), kwargs=lambda w: {"slug": "riau"}),
    Case("province_detail", "post", everyone(405), kwargs=lambda w: {"slug": "riau"}),
    Case("healthz", "get", everyone(200)),
    Case("healthz", "post", everyone(405)),
    Case("set_language", "get", everyone(302), query="language=en&next=/"),
    Case("set_language", "post", everyone(405)),
    Case("innovations:agency_detail", "get", everyone(200), kwargs=lambda w: {"slug": w.pekanbaru.slug}),
    Case("innovations:agency_detail", "post", everyone(405), kwargs=lambda w: {"slug": w.pekanbaru.slug}),
    Case("hub_list", "get", everyone(200)),
    Case("hub_list", "post", everyone(405)),
    Case("hub_detail", "get", everyone(200), kwargs=lambda w: {"slug": w.hub_riau.slug}),
    Case("hub_detail", "post", everyone(405), kwargs=lambda w: {"slug": w.hub_riau.slug}),
    # The Django admin is for administrators only; everyone else is sent to its sign-in page.
    Case("admin:index", "get", {**everyone(302), "admin": 200}),
]

# URL names not walked case by case: the rest of the Django admin (its own permission system,
# entered through admin:index above).
EXEMPT_PREFIXES = ("admin:",)
