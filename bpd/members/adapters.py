from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from bpd.website import languages
from bpd.website.mail import mark


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Emails sent later (outside a request) use the language they joined in.
        user.language = languages.current()
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        """Send in the recipient's language (the page's language for unknown addresses)."""
        user = get_user_model().objects.filter(email__iexact=email).only("language").first()
        with translation.override(user.language if user else languages.current()):
            context = {**context, "LANGUAGE_CODE": translation.get_language()}
            return super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        # Account emails carry sign-in and confirmation codes: they jump the queue,
        # and their text is not kept once delivered or given up on.
        message = super().render_mail(template_prefix, email, context, headers=headers)
        return mark(message, "account/" + template_prefix.rsplit("/", 1)[-1], urgent=True)

    def get_client_ip(self, request):
        """The client's address for rate limits. With BPD_TRUSTED_PROXY_COUNT set, a
        forwarded-for header shorter than the proxy chain (sent by someone bypassing
        the proxy) falls back to the connecting address instead of failing the page."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            return request.META.get("REMOTE_ADDR", "")

    def get_login_redirect_url(self, request):
        profile = getattr(request.user, "profile", None)
        if profile is not None and profile.onboarded_at is None:
            return reverse("members:onboarding")
        return super().get_login_redirect_url(request)
