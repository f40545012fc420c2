"""The API's routers. No `from __future__ import annotations` here: ninja reads the parameter annotations
(`Query[...]`, body schemas) at import time and needs them evaluated."""
