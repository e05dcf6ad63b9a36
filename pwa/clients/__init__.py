"""Typed clients for the three services, built once in the pwa's create_app and handed to
the pages as the `clients` dependency. Only these modules call the gateway."""

from dataclasses import dataclass

from pwa.clients.intake import IntakeClient
from pwa.clients.recognition import RecognitionClient
from pwa.clients.routing import RoutingClient
from pwa.gateway import Gateway


@dataclass(frozen=True)
class Clients:
    intake: IntakeClient
    routing: RoutingClient
    recognition: RecognitionClient

    @classmethod
    def over(cls, gateway: Gateway) -> "Clients":
        return cls(IntakeClient(gateway), RoutingClient(gateway), RecognitionClient(gateway))
