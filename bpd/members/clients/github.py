"""GitHub OAuth, used only to connect an account (never to sign in)."""

import urllib.parse

from django.conf import settings

from bpd.members.clients.http import ServiceError, request


class GitHubClient:
    name = "github"

    def __init__(self):
        self.client_id = settings.GITHUB_CLIENT_ID
        self.client_secret = settings.GITHUB_CLIENT_SECRET
        self.web = settings.GITHUB_URL.rstrip("/")
        self.api = settings.GITHUB_API_URL.rstrip("/")

    @property
    def configured(self):
        return bool(self.client_id and self.client_secret)

    def authorize_url(self, *, redirect_uri, state):
        query = urllib.parse.urlencode(
            {
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "state": state,
                "scope": "read:user",
            }
        )
        return f"{self.web}/login/oauth/authorize?{query}"

    def exchange_code(self, *, code, redirect_uri):
        _status, data = request(
            "POST",
            f"{self.web}/login/oauth/access_token",
            form={
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "code": code,
                "redirect_uri": redirect_uri,
            },
        )
        if "access_token" not in data:
            raise ServiceError(f"GitHub refused the code: {data.get('error', 'no token')}")
        return data["access_token"]

    def account(self, token):
        _status, data = request("GET", f"{self.api}/user", token=token)
        return {"id": str(data["id"]), "username": data["login"]}
