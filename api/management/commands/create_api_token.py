from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.services import token_create


class Command(BaseCommand):
    help = "Create an API token for a user and print its key (shown this once: only its hash is stored)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: options["username"]})
        except user_model.DoesNotExist:
            raise CommandError(f"No user “{options['username']}”.") from None
        if not user.is_active:
            raise CommandError(f"{options['username']} is inactive: an inactive user's token would not work.")
        token, key = token_create(user=user, name=options["name"])
        self.stderr.write(f"Token “{token.name}” for {user}; send it as: Authorization: Bearer <key>")
        self.stdout.write(key)
