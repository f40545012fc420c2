from django.urls import path

from compounds import views

app_name = "compounds"

urlpatterns = [
    path("compounds/", views.compound_list, name="list"),
    path("compounds/compare/", views.compound_compare, name="compare"),
    path("compounds/<slug:slug>/", views.compound_detail, name="detail"),
    path("reference-values/", views.reference_list, name="reference_list"),
]
