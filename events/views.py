from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from events.access import get_public_photo


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A gallery photo, served by Lantern so that photos of draft campaigns stay private."""
    image = get_public_photo(request, pk).image
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
