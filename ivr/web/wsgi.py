"""The WSGI entry point gunicorn serves: `ivr.web.wsgi:app` (and `server:app` in a checkout)."""

import gc

from ivr.menu.problems import MenuError
from ivr.settings import SettingsError
from ivr.web.app import create_app

try:
    app = create_app()
except SettingsError as exc:  # a refusal to start: its one line, not a traceback
    raise SystemExit(f"Error: {exc}") from None
except MenuError as exc:  # a first start on a broken file (`make run`): its problems only
    raise SystemExit(
        f"Error: the menu is invalid and no good menu was ever kept to serve instead; "
        f"not starting:\n{exc}"
    ) from None
# The menus, the libraries and the app live as long as the process: moving them out of the
# collector's view keeps its full collections (pauses felt as tail latency) short.
gc.freeze()
