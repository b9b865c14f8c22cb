from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("upload/", views.article_upload, name="upload"),
    path("queue/", views.review_queue, name="queue"),
    path("undo/", views.review_undo, name="undo"),
    path("bulk/", views.review_bulk, name="bulk"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/retry/", views.article_retry_view, name="retry"),
    path("<int:pk>/review/", views.article_review, name="review"),
    path("<int:pk>/statements/new/", views.statement_new, name="statement_new"),
    path("statements/new/", views.statement_new, name="statement_hand"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path("statements/<int:pk>/approve/", views.statement_approve_view, name="statement_approve"),
    path("statements/<int:pk>/reject/", views.statement_reject_view, name="statement_reject"),
    path("statements/<int:pk>/edit/", views.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/merge/", views.statement_merge_view, name="statement_merge"),
    path("statements/<int:pk>/split/", views.statement_split_view, name="statement_split"),
    path("statements/<int:pk>/speaker/", views.statement_speaker, name="statement_speaker"),
    path(
        "statements/<int:pk>/restore/<int:to_version>/",
        views.statement_restore_view, name="statement_restore",
    ),
]
