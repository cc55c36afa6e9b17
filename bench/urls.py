"""The app's URLs plus /bench/floor/, the cheapest response the same stack can give.

Each page's throughput is reported as a share of the floor's, so the figures say what the
page itself costs, apart from the machine, gunicorn and the middleware every page pays for.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def floor(request):
    # No template, no query, no session read: everything left is the shared stack.
    return HttpResponse("ok\n", content_type="text/plain")


def signed_in_floor(request):
    # The least a page for a signed-in person can do: find out who they are (session and user).
    return HttpResponse(f"{int(request.user.is_authenticated)}\n", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/floor/signed-in/", signed_in_floor, name="bench_signed_in_floor"),
    *app_urlpatterns,
]
