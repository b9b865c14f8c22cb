"""The articles app's views: ``ingest`` (upload, batches, URLs, feeds, status), ``article``
(an article's metadata) and ``review`` (the review workspace).

Every view: access, load, form, service, response. A plain POST redirects; an htmx POST
returns the fragment it changed. Which fragment a GET returns is chosen from HX-Target,
never from a parameter the client sends (``positions.web``, shared with the research views).
"""
