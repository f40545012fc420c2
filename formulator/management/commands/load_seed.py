import io

from django.core.management import call_command
from django.core.management.base import BaseCommand

from compounds.management.commands.library_check import library_check_said
from compounds.seed import library_load
from evidence.seed import interactions_load, studies_load
from formulator.seed import demo_users_ensure, products_load


class Command(BaseCommand):
    help = "Load the seed library, products, stacks and demo account; safe to run again."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--no-demo-user", action="store_true", help="Skip the demo account.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        counts = library_load() | products_load()
        counts["studies"] = studies_load()
        counts["interactions"] = interactions_load()
        # Every study's search text as it is built now, a curator's too: a build that reads more (formulas respelt) left
        # the studies saved before it unfound until each was saved again.
        call_command("evidence_search_rebuild", verbosity=0, stdout=io.StringIO())
        # Rows made before their model kept history get a first record, so every history page has a start.
        call_command("populate_history", auto=True, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
        if not options["no_demo_user"]:
            demo_users_ensure()
        self.stdout.write(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
        # A database made before the parser refused a formula keeps it: said at each load, not left to the pages.
        said, any_found = library_check_said()
        if any_found:
            self.stdout.write(said)
