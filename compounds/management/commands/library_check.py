import sys

from django.core.management.base import BaseCommand

from compounds.models import Compound
from compounds.selectors import MESSAGE_LIBRARY_CHECKED, MESSAGE_LIBRARY_NEEDS_CHECK, compounds_needing_check


def library_check_said() -> tuple[str, bool]:
    """What the check finds in the library's compounds, in words, and whether any needs checking."""
    found = compounds_needing_check()
    total = Compound.objects.count()
    if not found:
        return MESSAGE_LIBRARY_CHECKED.format(count=total), False
    lines = [MESSAGE_LIBRARY_NEEDS_CHECK.format(count=len(found), total=total)]
    lines += [f"- {message}" for _, said in found for message in said]
    return "\n".join(lines), True


class Command(BaseCommand):
    help = ("List the compounds whose saved formula the library refuses now, or reads otherwise than the figures saved "
            "with it; exit 1 if there are any.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        said, any_found = library_check_said()
        self.stdout.write(said)
        if any_found:
            sys.exit(1)  # for a release or CI step to stop on, as a failed check does
