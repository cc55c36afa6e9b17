from django.http import HttpResponseBadRequest


class RejectNulInQueryMiddleware:
    """Answer 400 to a query string holding a NUL character.

    No real link has one, and PostgreSQL refuses NUL in any text it is asked to compare, so
    every search box and admin filter would otherwise turn it into a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest("The address holds a character that is not allowed (NUL).")
        return self.get_response(request)
