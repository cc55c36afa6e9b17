"""Throttling glue for django-axes: which address a request comes from, what else is counted
like a log-in, and what a locked-out person sees.

Axes counts failed log-ins per username and IP address, in the database, so every app server
sees the same count. Two other places that answer "is this right?" are counted the same way:

- Re-entering one's password (deleting the account, changing the password): per account,
  whatever address the guesses come from, since whoever guesses already holds the session.
  The records carry a name of their own (``password re-entry #<id>``), so failed log-ins
  elsewhere never pause the account holder's own re-entry, and the other way round.
- Signing up, which says whether an address already has an account: per address, and per
  client (any failure from that network address, log-ins included), so neither one address
  nor one client can test addresses in bulk. A failed sign-up with an address also counts as
  a failed log-in to it from that client.

After AXES_FAILURE_LIMIT failures the attempt is refused, the right answer too, until
AXES_COOLOFF_TIME has passed since the last try.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.shortcuts import render

# What each kind of attempt is counted over (axes' lockout parameters).
COUNTED_OVER = {
    "log-in": [["username", "ip_address"]],
    "password": ["username"],
    "sign-up": ["username", "ip_address"],
}


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check for every log-in that arrives over HTTP.

    Every web log-in (our log-in page, the admin's) passes the request. A call without one
    comes from code on the server itself (the shell, the test client's ``login()``), which no
    outsider can drive, so it has nothing to throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies, the address
    the outermost of them appended to X-Forwarded-For (anything left of it the client wrote)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_parameters(request_or_attempt, credentials=None):
    """AXES_LOCKOUT_PARAMETERS: a log-in's unless attempt() counts something else."""
    return getattr(request_or_attempt, "throttle_parameters", COUNTED_OVER["log-in"])


def attempt(request, what, name, succeeded):
    """Whether an attempt at what ("password", "sign-up") by name may go on, and succeeded.

    succeeded() is called only while the attempt is allowed. A refused or failed attempt is
    recorded as axes records a failed log-in; once the count reaches the limit the request is
    marked locked out (refused(request)), and axes' middleware answers with lockout(). name
    None (a sign-up with no valid address) is counted per client only.
    """
    credentials = {"username": name}
    request.throttled = what
    request.throttle_parameters = COUNTED_OVER[what] if name else ["ip_address"]
    try:
        if AxesProxyHandler.is_allowed(request, credentials) and succeeded():
            return True
        AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)
        return False
    finally:
        # A log-in in the same request (right after signing up) is counted as a log-in again.
        del request.throttle_parameters


def refused(request):
    return getattr(request, "axes_locked_out", False)


def reentry_name(user):
    return f"password re-entry #{user.pk}"


def throttle_names(user):
    """The names the throttle keeps records under for this user, besides their address."""
    return [reentry_name(user)]


def password_again(request, user, password):
    """Whether password is the logged-in user's own, asked again before something that matters;
    the right one clears the count, as a log-in does."""
    if attempt(request, "password", reentry_name(user), lambda: user.check_password(password)):
        AxesProxyHandler.reset_attempts(username=reentry_name(user))
        return True
    return False


def lockout(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes,
         "throttled": getattr(request, "throttled", "log-in")},
        status=429,
    )
