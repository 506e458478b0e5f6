from datetime import date

from django.urls import path, register_converter
from django.views.generic import RedirectView

from audit import views

app_name = "audit"


class WeekConverter:
    """``2025-06-09`` ↔ a date (the view checks that it is a Monday)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # a ValueError makes the URL not match: 404

    def to_url(self, value: date | str) -> str:
        return value.isoformat() if isinstance(value, date) else value


register_converter(WeekConverter, "week")

urlpatterns = [
    # /audit/ itself: the weekly reviews are where a reviewer starts (the navigation's entry).
    path("", RedirectView.as_view(pattern_name="audit:review_list"), name="index"),
    path("people/<int:pk>/", views.person_accesses, name="person_accesses"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/", views.user_activity, name="user_activity"),
    path("users/<int:pk>/export.csv", views.user_export, name="user_export"),
    path("unusual/", views.unusual, name="unusual"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<week:week>/", views.review_detail, name="review_detail"),
    path(
        "reviews/<week:week>/acknowledge/",
        views.review_acknowledge_view,
        name="review_acknowledge",
    ),
]
