from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from api.models import ApiToken
from api.services import issue_key

MESSAGE_NEW_KEY = (
    "The key of “{name}” is {key} — copy it now: only its hash is stored, so it cannot be shown again. "
    "Send it as the header Authorization: Bearer <key>."
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """List tokens; adding one shows its plain key once, in a message."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_filter = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    autocomplete_fields = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        # The owner of an existing key stays who it is; revoke (delete) and issue a new one instead.
        return [*self.readonly_fields, "user"] if obj is not None else self.readonly_fields

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        return ["user", "name"] if obj is None else ["user", "name", "prefix", "created_at", "last_used_at"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key = issue_key(obj)
        super().save_model(request, obj, form, change)
        self.message_user(request, MESSAGE_NEW_KEY.format(name=obj.name, key=key), messages.WARNING)
