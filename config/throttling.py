"""Throttling glue for django-axes: which address a request comes from, what else is counted
like a log-in, and what a locked-out person sees.

Axes counts failed log-ins per username and IP address, in the database, so every app server
sees the same count. Two other places that answer "is this right?" are counted the same way,
each under names of its own, so that no count runs into another:

- Re-entering one's password (deleting the account, changing the password): per account,
  whatever address the guesses come from, since whoever guesses already holds the session.
  Failed log-ins elsewhere never pause the account holder's own re-entry.
- Signing up, which says whether an address already has an account: per address (a failed
  sign-up with an address also counts as a failed log-in to it from that client), and per
  client over its failed sign-ups, so neither one address nor one client can test addresses
  in bulk.

After AXES_FAILURE_LIMIT failures the attempt is refused, the right answer too, until
AXES_COOLOFF_TIME has passed since the last try.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.shortcuts import render

LOG_IN = [["username", "ip_address"]]
# The throttle's own names (this one and reentry_name()) start with a space, which no log-in
# form can send (both strip what is typed), so a failed log-in never counts against them.
SIGN_UP = " sign-up"


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
    return getattr(request_or_attempt, "throttle_parameters", LOG_IN)


def attempt(request, what, counts, succeeded):
    """Whether an attempt at what ("password", "sign-up") may go on, and succeeded.

    counts are the (name, axes lockout parameters) it is counted under; it may go on while
    none of them has reached the limit, and succeeded() is called only then. A refused or
    failed attempt is recorded under each, as axes records a failed log-in; once a count
    reaches the limit the request is marked locked out (refused(request)).
    """
    request.throttled = what
    try:
        allowed = all([allowed_by(request, name, parameters) for name, parameters in counts])
        if allowed and succeeded():
            return True
        for name, parameters in counts:
            request.throttle_parameters = parameters
            AxesProxyHandler.user_login_failed(sender=__name__, credentials={"username": name}, request=request)
        return False
    finally:
        # A log-in in the same request (right after signing up) is counted as a log-in again.
        request.__dict__.pop("throttle_parameters", None)


def allowed_by(request, name, parameters):
    request.throttle_parameters = parameters
    return AxesProxyHandler.is_allowed(request, {"username": name})


def refused(request):
    return getattr(request, "axes_locked_out", False)


def reentry_name(user):
    return f" password re-entry #{user.pk}"


def throttle_names(user):
    """The names the throttle keeps records under for this user, besides their address."""
    return [reentry_name(user)]


def password_again(request, user, password):
    """Whether password is the logged-in user's own, asked again before something that matters;
    the right one clears the count, as a log-in does."""
    name = reentry_name(user)
    if attempt(request, "password", [(name, ["username"])], lambda: user.check_password(password)):
        AxesProxyHandler.reset_attempts(username=name)
        return True
    return False


def sign_up(request, address, succeeded):
    """Whether a sign-up for address (normalised; None if it is no address) may go on, and
    succeeded() (the form is valid)."""
    counts = [(SIGN_UP, LOG_IN)]  # this client's failed sign-ups
    if address:
        counts.append((address, ["username"]))
    return attempt(request, "sign-up", counts, succeeded)


def lockout(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes,
         "throttled": getattr(request, "throttled", "log-in")},
        status=429,
    )
