from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict

NUL = "\x00"


class RequestGuardMiddleware:
    """What a request may bring in, checked before anything reads it (so it goes before the
    session middleware, which reads the session cookie).

    NUL: no real browser sends one, and PostgreSQL refuses NUL in any text it is asked to store
    or compare, so wherever it arrives it would otherwise become a server error, on every page
    when it is in the session cookie.
    - In the query string it is dropped (a search for "we\\0lder" looks for "welder").
    - A cookie whose name or value holds one (a quoted cookie may spell it "\\000") is dropped,
      as if it had not been sent: a session cookie with one is no session.
    - In the path, a header or a posted field it is a bad request (400).

    Size: a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused (413) before any of it is
    read, whatever its type; Django's own cap counts form fields only, not files. No form takes
    a file at all (DATA_UPLOAD_MAX_NUMBER_FILES is 0).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if body_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return HttpResponse("The request is too large.", status=413, content_type="text/plain")
        if NUL in request.path_info or any(NUL in value for name, value in request.META.items()
                                           if isinstance(value, str) and is_header(name)):
            return HttpResponseBadRequest("The request holds a NUL character.")
        if "\x00" in request.GET.urlencode() or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = without_nul(request.GET)
        if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
            request.COOKIES = {name: value for name, value in request.COOKIES.items()
                               if NUL not in name and NUL not in value}
        if request.method == "POST" and any(NUL in name or any(NUL in value for value in values)
                                            for name, values in request.POST.lists()):
            return HttpResponseBadRequest("The form holds a NUL character.")
        return self.get_response(request)


def is_header(name):
    return name.startswith("HTTP_") or name in ("CONTENT_TYPE", "CONTENT_LENGTH")


def body_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def without_nul(query):
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned
