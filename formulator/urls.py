from django.urls import path

from formulator import history_views, spec_views, views

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
    path("products/<slug:slug>/status", views.product_status, name="product_status"),
    path("products/<slug:slug>/revise", views.product_revise, name="product_revise"),
    path("products/<slug:slug>/history/", history_views.product_history, name="product_history"),
    path("products/<slug:slug>/history/revert", history_views.product_revert, name="product_revert"),
    path("products/<slug:slug>/spec/", spec_views.product_spec, name="product_spec"),
    path("products/<slug:slug>/spec.pdf", spec_views.product_spec_pdf, name="product_spec_pdf"),
    path("products/<slug:slug>/spec.csv", spec_views.product_spec_csv, name="product_spec_csv"),
    path("products/<slug:slug>/spec.json", spec_views.product_spec_json, name="product_spec_json"),
    path("products/<slug:slug>/history/<int:history_id>/spec/", spec_views.product_spec, name="product_version_spec"),
    path("products/<slug:slug>/history/<int:history_id>/spec.pdf", spec_views.product_spec_pdf, name="product_version_spec_pdf"),
    path("products/<slug:slug>/history/<int:history_id>/spec.csv", spec_views.product_spec_csv, name="product_version_spec_csv"),
    path("products/<slug:slug>/history/<int:history_id>/spec.json", spec_views.product_spec_json,
         name="product_version_spec_json"),
    path("stacks/<slug:slug>/history/", history_views.stack_history, name="stack_history"),
    path("stacks/<slug:slug>/history/revert", history_views.stack_revert, name="stack_revert"),
    path("stacks/<slug:slug>/spec/", spec_views.stack_spec, name="stack_spec"),
    path("stacks/<slug:slug>/spec.pdf", spec_views.stack_spec_pdf, name="stack_spec_pdf"),
    path("stacks/<slug:slug>/spec.csv", spec_views.stack_spec_csv, name="stack_spec_csv"),
    path("stacks/<slug:slug>/spec.json", spec_views.stack_spec_json, name="stack_spec_json"),
    path("workbench/compounds/", views.compound_search, name="compound_search"),
    path("compare/", views.comparison, name="compare"),
    path("compare/export.csv", views.comparison_csv, name="compare_csv"),
]
