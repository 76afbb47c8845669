from django.urls import path

from bpd.members import views

app_name = "members"
urlpatterns = [
    path("members/", views.home, name="home"),
    path("members/welcome/", views.onboarding, name="onboarding"),
    path("members/profile/", views.edit_profile, name="edit_profile"),
    *(
        path(
            f"members/profile/{slug}/",
            views.edit_profile_section,
            {"section": slug},
            name=f"edit_profile_{slug}",
        )
        for slug in views.SECTIONS
    ),
    path("members/directory/", views.directory, name="directory"),
    path("members/<int:pk>/", views.profile_detail, name="profile"),
    path("members/connections/", views.connections, name="connections"),
    path(
        "members/connections/<str:provider>/start/", views.connection_start, name="connection_start"
    ),
    path(
        "members/connections/<str:provider>/callback/",
        views.connection_callback,
        name="connection_callback",
    ),
    path(
        "members/connections/<str:provider>/remove/",
        views.connection_remove,
        name="connection_remove",
    ),
    path("members/my-data/", views.my_data, name="my_data"),
    path("members/delete/", views.delete_account, name="delete_account"),
    path("invite/<str:token>/", views.invite, name="invite"),
    path("experts/", views.expertise, name="expertise"),
    path("experts/<int:pk>/contact/", views.contact, name="contact"),
    path("experts/<int:pk>/contact/sent/", views.contact_sent, name="contact_sent"),
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/members/", views.staff_members, name="staff_members"),
    path("staff/members/<int:pk>/roles/", views.staff_roles, name="staff_roles"),
    path("staff/invites/", views.staff_invites, name="staff_invites"),
    path("staff/invites/<int:pk>/revoke/", views.staff_invite_revoke, name="staff_invite_revoke"),
    path("staff/audit/", views.staff_audit, name="staff_audit"),
    path("dev/sign-in-as/", views.demo_sign_in, name="demo_sign_in"),
]
