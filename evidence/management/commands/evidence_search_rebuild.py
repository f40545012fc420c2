from typing import Any

from django.core.management.base import BaseCommand

from evidence.models import Study
from evidence.services import studies_refresh_search

MESSAGE_REBUILT = "{count} {studies} search text rebuilt."


class Command(BaseCommand):
    # A command, not a data migration: the text is built by today's code (the formula parser's spellings), which a
    # migration may not import, and a build that changes again needs it run again (load_seed runs it).
    help = "Rebuild every study's search text as evidence search reads it now; writes only what differs."

    def handle(self, *args: Any, **options: Any) -> None:
        count = studies_refresh_search(Study.objects.all())
        self.stdout.write(MESSAGE_REBUILT.format(count=count, studies="study's" if count == 1 else "studies'"))
