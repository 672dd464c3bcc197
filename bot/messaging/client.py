"""The LINE Messaging API client: line-bot-sdk v3, pointed at LINE or at the local double."""

from __future__ import annotations

from linebot.v3.messaging import ApiClient, Configuration, MessagingApi

from bot.messaging.wire import StoredRequest


class _Client(ApiClient):
    def sanitize_for_serialization(self, obj):
        # The outbox's stored JSON is what goes on the wire already (bot.messaging.wire): the
        # SDK's walk over every key of it cost about 0.3 ms of CPU per answer.
        if isinstance(obj, StoredRequest):
            return obj.to_dict()
        return super().sanitize_for_serialization(obj)


def messaging_api(endpoint: str, access_token: str) -> MessagingApi:
    config = Configuration(host=endpoint, access_token=access_token)
    return MessagingApi(_Client(config))
