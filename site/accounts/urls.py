from django.urls import path

from accounts import views

urlpatterns = [
    path("data/", views.your_data, name="account_data"),
    path("data/download/", views.your_data_download, name="account_data_download"),
    path("delete/", views.account_delete, name="account_delete"),
]
