from django.urls import path

from bpd.fund import views

app_name = "fund"
urlpatterns = [
    path("", views.index, name="index"),
    path("manage/", views.manage, name="manage"),
    path("visa/wait-times/", views.wait_times, name="wait_times"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/submitted/", views.submitted, name="submitted"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/reply/", views.reply, name="reply"),
    path("applications/<int:pk>/visa/", views.visa_outcome, name="visa_outcome"),
    path("applications/<int:pk>/report/", views.trip_report, name="trip_report"),
    path("applications/<int:pk>/letter.pdf", views.letter, name="letter"),
    path("applications/<int:pk>/passport-name/", views.passport_name, name="passport_name"),
    path("applications/<int:pk>/letters/", views.staff_letters, name="staff_letters"),
    path(
        "applications/<int:pk>/letters/current.pdf",
        views.staff_letter_pdf,
        name="staff_letter_pdf",
    ),
    path("applications/<int:pk>/review/", views.review, name="review"),
    path("applications/<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("applications/<int:pk>/decide/", views.decide, name="decide"),
    path("applications/<int:pk>/visa-check/", views.visa_check, name="visa_check"),
    path("applications/<int:pk>/few-reviews/", views.allow_few_reviews, name="allow_few_reviews"),
    path("applications/<int:pk>/bookings/", views.bookings, name="bookings"),
    path("applications/<int:pk>/bookings/add/", views.add_booking, name="add_booking"),
    path("applications/<int:pk>/bookings/cancel-all/", views.cancel_all, name="cancel_all"),
    path("applications/<int:pk>/out-of-pocket/", views.out_of_pocket, name="out_of_pocket"),
    path("bookings/<int:pk>/status/", views.booking_status, name="booking_status"),
    path("out-of-pocket/<int:pk>/settle/", views.settle, name="settle"),
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/apply/check/", views.check_answers, name="check_answers"),
    path("<slug:slug>/review/", views.review_queue, name="review_queue"),
    path("<slug:slug>/committee/", views.committee, name="committee"),
    path("<slug:slug>/allocate/", views.allocate, name="allocate"),
    path("<slug:slug>/allocate/stage/", views.stage_proposal, name="stage_proposal"),
    path("<slug:slug>/allocate/release/", views.release, name="release"),
    path("<slug:slug>/edit/", views.round_edit, name="round_edit"),
    path("<slug:slug>/money/", views.money_view, name="money"),
    path("<slug:slug>/report/", views.report, name="report"),
    # Public: a consulate checks a funding letter by the reference printed on it.
    path("letters/<str:reference>/", views.letter_check, name="letter_check"),
]
