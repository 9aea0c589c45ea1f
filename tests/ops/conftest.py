import pytest
from django.core.cache import cache


@pytest.fixture
def page_cache(settings):
    """The public page cache on, starting empty (the suite's other tests run with it as configured)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()
