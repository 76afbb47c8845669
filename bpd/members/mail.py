"""Email to a member, in the member's language, as text and HTML.

Each email is a folder of templates: `<name>/subject.txt`, `body.txt`, `body.html`.
Sending queues it (bpd/background/mail.py); the task worker delivers it.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bpd.website.mail import mark


def send(user, name, context, *, reply_to=(), time_zone=None):
    """Queue the email `name` for `user`; `reply_to`: the addresses a reply goes to
    (the site's own address when empty); `time_zone`: the zone its times are written
    in (a member's profile zone; the active zone when not given)."""
    zone = time_zone or timezone.get_current_timezone_name()
    with translation.override(user.language or settings.LANGUAGE_CODE), timezone.override(zone):
        context = {
            **context,
            "user": user,
            "site_url": settings.SITE_URL,
            "LANGUAGE_CODE": translation.get_language(),
        }
        subject = " ".join(render_to_string(f"{name}/subject.txt", context).split())
        text = render_to_string(f"{name}/body.txt", context)
        html = render_to_string(f"{name}/body.html", context)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [user.email], reply_to=list(reply_to)
    )
    message.attach_alternative(html, "text/html")
    mark(message, name).send()
