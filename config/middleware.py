from django.http import QueryDict


class StripNulFromQueryMiddleware:
    """Drop NUL characters from the query string before any view reads it.

    No real link holds one, and PostgreSQL refuses NUL in any text it is asked to compare,
    so every search box and admin filter would otherwise turn it into a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.GET.urlencode() or "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)
