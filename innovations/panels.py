"""Sections that other apps add to an innovation's public page, so that this app imports none of them.

An app registers a provider in its ``AppConfig.ready()``: ``provider(request, innovation)`` returns a
dict merged into the page's context (replication adds "Request replication" and the public
replications of the record). Each provider must cost a constant number of queries.
"""

_providers = []


def register(provider):
    if provider not in _providers:
        _providers.append(provider)


def context_for(request, innovation) -> dict:
    context = {}
    for provider in _providers:
        context.update(provider(request, innovation))
    return context
