"""The WSGI entry point gunicorn serves: `ivr.web.wsgi:app` (and `server:app` in a checkout)."""

import gc

from ivr.web.app import create_app

app = create_app()
# The menus, the libraries and the app live as long as the process: moving them out of the
# collector's view keeps its full collections (pauses felt as tail latency) short.
gc.freeze()
