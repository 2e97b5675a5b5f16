"""The ceiling: the fastest Flask app that could answer, a constant TwiML document.

Its body is as long as the service's welcome menu (CEILING_BYTES), so both send
the same bytes; it checks no signature and records nothing.
"""

from __future__ import annotations

import os

from flask import Flask, Response


def create_app(size: int | None = None) -> Flask:
    """Build the ceiling app answering POST /voice and /voice/gather with fixed TwiML."""
    size = size or int(os.environ.get("CEILING_BYTES", "2000"))
    head, tail = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>', "</Say></Response>"
    body = (head + "x" * max(0, size - len(head) - len(tail)) + tail).encode()
    app = Flask(__name__)

    @app.route("/voice", methods=["POST"])
    @app.route("/voice/gather", methods=["POST"])
    def answer() -> Response:
        return Response(body, mimetype="text/xml")

    return app


app = create_app() if os.environ.get("CEILING_BYTES") else None
