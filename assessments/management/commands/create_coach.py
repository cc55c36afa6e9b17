"""Create a coach: a staff user (not a superuser) in the "Coaches" group, with an invitation link.

The link is what the coach sends the people they coach: each person who opens it and confirms
joins the coach's caseload. The coach finds it again (and makes new ones) in the admin.
"""

import getpass
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import Invitation

COACHES = "Coaches"


class Command(BaseCommand):
    help = 'Create a coach: a staff user in the "Coaches" group, who can read assessments in the admin.'

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--site-url", default="",
            help="The site's address the invitation link starts with (default: the first ALLOWED_HOSTS name).",
        )
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="Read the password from the first line of standard input instead of prompting.",
        )

    def handle(self, *args, email, first_name, last_name, password_stdin, site_url, **options):
        User = get_user_model()
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid e-mail address.")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A user with the e-mail address {email} already exists.")
        try:
            group = Group.objects.get(name=COACHES)
        except Group.DoesNotExist:
            raise CommandError(f'The "{COACHES}" group does not exist yet: run "manage.py migrate" first.')

        user = User(username=email, email=email, first_name=first_name, last_name=last_name, is_staff=True)
        password = self.read_password(password_stdin)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password was not accepted: " + " ".join(error.messages))
        user.set_password(password)

        with transaction.atomic():
            user.save()
            user.groups.add(group)
            invitation = Invitation.objects.create(coach=user)
        self.stdout.write(f"Invitation link (until {invitation.expires_at:%Y-%m-%d}): "
                          f"{self.site(site_url)}{invitation.get_absolute_url()}")
        self.stdout.write(self.style.SUCCESS(f"Created coach {email} (staff, in the {COACHES} group)."))

    def site(self, site_url):
        if site_url:
            return site_url.rstrip("/")
        hosts = [host for host in settings.ALLOWED_HOSTS if host and host[0] not in ".*"]
        host = hosts[0] if hosts else "localhost"
        return f"{'http' if settings.DEBUG else 'https'}://{host}"

    def read_password(self, from_stdin):
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords did not match.")
        if not password:
            raise CommandError("The password is empty.")
        return password
