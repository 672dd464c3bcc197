"""The LINE Messaging API client: line-bot-sdk v3, pointed at LINE or at the local double."""

from __future__ import annotations

from linebot.v3.messaging import ApiClient, Configuration, MessagingApi


def messaging_api(endpoint: str, access_token: str) -> MessagingApi:
    config = Configuration(host=endpoint, access_token=access_token)
    return MessagingApi(ApiClient(config))
