from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("disabled/", views.disabled_accounts, name="disabled_accounts"),
    path("<int:pk>/enable/", views.account_enable, name="account_enable"),
]
