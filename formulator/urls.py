from django.urls import path

from formulator import views

app_name = "formulator"

urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product_list"),
    path("products/<slug:slug>/", views.product_detail, name="product_detail"),
    path("stacks/", views.stack_list, name="stack_list"),
    path("stacks/<slug:slug>/", views.stack_detail, name="stack_detail"),
]
