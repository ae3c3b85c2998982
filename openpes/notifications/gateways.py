"""Delivery gateways. The console gateway logs a masked line; real SMS/Telegram gateways plug in here."""

from __future__ import annotations

import logging

from openpes.lib.phone import mask_phone

logger = logging.getLogger("openpes.notifications")


class ConsoleGateway:
    """Development gateway: writes the message to the log with the number masked (S12)."""

    def send(self, *, channel: str, to: str, body: str) -> None:
        logger.info("%s to %s: %s", channel, mask_phone(to) if channel == "sms" else "(hidden)", body)


def get_gateway() -> ConsoleGateway:
    return ConsoleGateway()
