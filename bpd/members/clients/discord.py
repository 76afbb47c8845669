"""Discord OAuth to connect an account, and the bot call that adds the member to the server."""

import urllib.parse

from django.conf import settings

from bpd.members.clients.github import GitHubClient
from bpd.members.clients.http import ServiceError, request


class DiscordClient:
    name = "discord"

    def __init__(self):
        self.client_id = settings.DISCORD_CLIENT_ID
        self.client_secret = settings.DISCORD_CLIENT_SECRET
        self.bot_token = settings.DISCORD_BOT_TOKEN
        self.guild_id = settings.DISCORD_GUILD_ID
        self.member_role_id = settings.DISCORD_MEMBER_ROLE_ID
        self.web = settings.DISCORD_URL.rstrip("/")
        self.api = settings.DISCORD_API_URL.rstrip("/")

    @property
    def configured(self):
        return bool(self.client_id and self.client_secret)

    @property
    def can_add_to_server(self):
        return bool(self.configured and self.bot_token and self.guild_id)

    def scopes(self):
        return "identify guilds.join" if self.can_add_to_server else "identify"

    def authorize_url(self, *, redirect_uri, state):
        query = urllib.parse.urlencode(
            {
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": self.scopes(),
                "state": state,
                "prompt": "none",
            }
        )
        return f"{self.web}/oauth2/authorize?{query}"

    def exchange_code(self, *, code, redirect_uri):
        _status, data = request(
            "POST",
            f"{self.api}/oauth2/token",
            form={
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
            },
        )
        if "access_token" not in data:
            raise ServiceError("Discord refused the code")
        return data["access_token"]

    def account(self, token):
        _status, data = request("GET", f"{self.api}/users/@me", token=token)
        return {"id": str(data["id"]), "username": data["username"]}

    def add_to_server(self, *, user_id, token):
        """Add the member to the BPD server with the member role (bot permission needed)."""
        payload = {"access_token": token}
        if self.member_role_id:
            payload["roles"] = [self.member_role_id]
        request(
            "PUT",
            f"{self.api}/guilds/{self.guild_id}/members/{user_id}",
            token=self.bot_token,
            token_type="Bot",
            payload=payload,
        )


def client_for(provider):
    return {"github": GitHubClient, "discord": DiscordClient}[provider]()
