from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.study_list, name="list"),
    path("evidence/grades/", views.grade_table, name="grades"),
    path("evidence/<slug:key>/", views.study_detail, name="detail"),
]
