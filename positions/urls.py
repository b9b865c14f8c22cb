from django.urls import path

from positions import views

app_name = "positions"

urlpatterns = [
    path("side-by-side/", views.side_by_side, name="side_by_side"),
]
