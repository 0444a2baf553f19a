"""The services as a Django app: it completes the registry of motion kinds when Django starts."""

from django.apps import AppConfig


class ServicesConfig(AppConfig):
    """The use cases; no models of their own."""

    name = "frombelow.services"
    label = "frombelow_services"

    def ready(self) -> None:
        """Import the deciding service, and through it every module that declares a motion kind."""
        # Here and not at the top: models may be imported only once the apps are loaded.
        from frombelow.services import deciding

        assert deciding.KIND_OWNERS
