from django.urls import path

from bpd.background import views

app_name = "background"
urlpatterns = [
    path("staff/mail-and-jobs/", views.mail_and_jobs, name="mail_and_jobs"),
    path("staff/mail-and-jobs/<int:pk>/retry/", views.retry_email, name="retry_email"),
]
