"""The articles app's views: ``ingest`` (upload, batches, URLs, feeds, status), ``article``
(an article's metadata), and the review workspace: ``review`` (the queue, an article's
review page, undo and bulk), ``statement`` (one statement's page and actions) and
``statement_new`` (a new statement from a selection or by hand). ``lookups`` loads what a
URL names.

Every view: access, load, form, service, response. A plain POST redirects; an htmx POST
returns the fragment it changed. Which fragment a GET returns is chosen from HX-Target,
never from a parameter the client sends (``positions.web``, shared with the research views).
"""
