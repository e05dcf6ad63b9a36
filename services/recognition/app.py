"""Recognition's composition root. Run: `uvicorn --factory services.recognition.app:create_app`."""

from litestar import Litestar

from services.platform.runtime import service_app
from services.platform.settings import Settings
from services.recognition import api


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env("recognition")
    return service_app(
        settings=settings,
        schema="recognition",
        package="services.recognition",
        title="secpool recognition",
        route_handlers=[api.KudosController],
    )
