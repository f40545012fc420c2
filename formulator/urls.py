from django.urls import path

from formulator import views

app_name = "formulator"

urlpatterns = [
    path("", views.home, name="home"),
    path("products/", views.product_list, name="product_list"),
    path("products/new", views.product_edit, name="product_new"),
    path("products/new/", views.product_edit),
    path("products/<slug:slug>/", views.product_detail, name="product_detail"),
    path("products/<slug:slug>/edit", views.product_edit, name="product_edit"),
    path("products/<slug:slug>/edit/", views.product_edit),
    path("stacks/", views.stack_list, name="stack_list"),
    path("stacks/new", views.stack_edit, name="stack_new"),
    path("stacks/new/", views.stack_edit),
    path("stacks/<slug:slug>/", views.stack_detail, name="stack_detail"),
    path("stacks/<slug:slug>/edit", views.stack_edit, name="stack_edit"),
    path("stacks/<slug:slug>/edit/", views.stack_edit),
    path("products/<slug:slug>/duplicate", views.product_duplicate, name="product_duplicate"),
    path("workbench/compounds/", views.compound_search, name="compound_search"),
    path("compare/", views.comparison, name="compare"),
    path("compare/export.csv", views.comparison_csv, name="compare_csv"),
]
