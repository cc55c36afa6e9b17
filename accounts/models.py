from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A Skillgap user. Sign-up uses the e-mail address as the username."""

    email = models.EmailField("e-mail address", unique=True)

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email
