from django.urls import path

from articles.views import article, ingest, review, statement, statement_new, statement_proposal

app_name = "articles"

urlpatterns = [
    path("", ingest.article_list, name="list"),
    path("upload/", ingest.article_upload, name="upload"),
    path("fetch/", ingest.fetch_create_view, name="fetch_create"),
    path("fetches/<int:pk>/", ingest.fetch_detail, name="fetch"),
    path("fetches/<int:pk>/dismiss-offer/", ingest.fetch_offer_dismiss_view, name="fetch_offer_dismiss"),
    path("batches/<int:pk>/", ingest.batch_detail, name="batch"),
    path("batches/<int:pk>/retry/", ingest.batch_retry_view, name="batch_retry"),
    path("feeds/", ingest.feed_list, name="feeds"),
    path("feeds/<int:pk>/active/", ingest.feed_active_view, name="feed_active"),
    path("feeds/<int:pk>/poll/", ingest.feed_poll_view, name="feed_poll"),
    path("queue/", review.review_queue, name="queue"),
    path("undo/", review.review_undo, name="undo"),
    path("bulk/", review.review_bulk, name="bulk"),
    path("<int:pk>/", ingest.article_detail, name="detail"),
    path("<int:pk>/retry/", ingest.article_retry_view, name="retry"),
    path("<int:pk>/metadata/", article.article_metadata, name="metadata"),
    path("<int:pk>/review/", review.article_review, name="review"),
    path("<int:pk>/statements/new/", statement_new.statement_new, name="statement_new"),
    path("statements/new/", statement_new.statement_new, name="statement_hand"),
    path("<int:pk>/statements/new/card/", statement_new.statement_new_card, name="statement_new_card"),
    path("statements/new/reading/<uuid:token>/", statement_new.statement_new_reading,
         name="statement_new_reading"),
    path("statements/evidence/", statement.statement_evidence_add, name="evidence_add"),
    path("statements/<int:pk>/", statement.statement_detail, name="statement"),
    path("statements/<int:pk>/approve/", statement.statement_approve_view, name="statement_approve"),
    path("statements/<int:pk>/reject/", statement.statement_reject_view, name="statement_reject"),
    path("statements/<int:pk>/edit/", statement.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/merge/", statement.statement_merge_view, name="statement_merge"),
    path("statements/<int:pk>/split/", statement.statement_split_view, name="statement_split"),
    path("statements/<int:pk>/proposal/", statement_proposal.statement_proposal, name="statement_proposal"),
    path("statements/<int:pk>/proposal/new/", statement_proposal.statement_proposal_new,
         name="statement_proposal_new"),
    path("statements/<int:pk>/speaker/", statement.statement_speaker, name="statement_speaker"),
    path(
        "statements/<int:pk>/restore/<int:to_version>/",
        statement.statement_restore_view, name="statement_restore",
    ),
]
