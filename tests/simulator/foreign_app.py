"""A TwiML app that is not ours, for `ivr simulate --url`: its own paths, its own defects.

Modelled on the shape of Twilio's Flask IVR tutorial (the "E.T. phone home" phone tree):
its number's webhook is /ivr/welcome, a key there goes to /ivr/menu, and the list of
planets to /ivr/planets. It knows nothing of this project (no /voice, no status route)
and checks Twilio's signature when it has a token. Three defects are planted, each on a
path of its own, so the valid paths stay clean:

- key 3 at the menu: the view fails, an HTTP 500 (Twilio's 11200, an error);
- key 4 at the menu: a `<Gather>` is the last verb, so silence there would end the call
  (SIM001, a warning);
- key 3 at the planets list: a `<Dial>` with `timeOut`, a misspelt (wrong-case)
  attribute (12200, a warning).
"""

from __future__ import annotations

from flask import Flask, Response, abort, request, url_for
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

# Scripted callers (`ivr simulate --input`) that reach no defect, and those that do, with
# the one code each must report.
VALID_PATHS = ("1", ".", "9,1", "2,2,dial:completed", "2,4,dial:busy", "2,.,.")
DEFECTS = {"3": 11200, "4,.": "SIM001", "2,3,dial:completed": 12200}


def create_app(token: str | None = None) -> Flask:
    """Build the phone tree; with a token, a request without a valid signature is a 403."""
    app = Flask("foreign_ivr")

    @app.before_request
    def _signed() -> None:
        if token is None:
            return
        params = request.form.to_dict() if request.method == "POST" else {}
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(token).validate(request.url, params, signature):
            abort(403)

    @app.route("/ivr/welcome", methods=["POST"])
    def welcome() -> Response:
        response = VoiceResponse()
        with response.gather(num_digits=1, action=url_for("menu"), method="POST") as gather:
            gather.say("Thanks for calling the E T phone home service.", voice="Polly.Amy")
            gather.say(
                "Press 1 for directions. Press 2 for a list of planets to call.",
                voice="Polly.Amy",
            )
        response.say("We did not hear a choice. Goodbye.", voice="Polly.Amy")
        response.hangup()
        return _twiml(response)

    @app.route("/ivr/menu", methods=["POST"])
    def menu() -> Response:
        choice = request.form.get("Digits", "")
        response = VoiceResponse()
        if choice == "1":
            response.say(
                "To get to your extraction point, get on your bike and go down the street.",
                voice="Polly.Amy",
            )
            response.say("Thank you for calling. Goodbye.", voice="Polly.Amy")
            response.hangup()
        elif choice == "2":
            with response.gather(num_digits=1, action=url_for("planets")) as gather:
                gather.say(
                    "To call the planet Brodo Asogi, press 2. To call Dagobah, press 3. "
                    "To call an oober asteroid, press 4.",
                    voice="Polly.Amy",
                )
            response.redirect(url_for("welcome"))
        elif choice == "3":
            raise RuntimeError("planted: this view fails")  # an HTTP 500
        elif choice == "4":
            # Planted: the Gather is the last verb, so silence ends the call.
            with response.gather(num_digits=1, action=url_for("welcome")) as gather:
                gather.say("Press any key to hear the menu again.", voice="Polly.Amy")
        elif choice == "5":
            # Valid TwiML this project's own menus avoid (SIM004): two sentences before
            # the Gather, where no key cuts them.
            response.say("Our hours have changed. We now open at nine.", voice="Polly.Amy")
            with response.gather(num_digits=1, action=url_for("welcome")) as gather:
                gather.say("Press any key for the menu.", voice="Polly.Amy")
            response.hangup()
        else:
            response.say("Returning to the main menu.", voice="Polly.Amy")
            response.redirect(url_for("welcome"))
        return _twiml(response)

    @app.route("/ivr/planets", methods=["POST"])
    def planets() -> Response:
        numbers = {"2": "+12024173378", "3": "+12027336386", "4": "+12027336637"}
        choice = request.form.get("Digits", "")
        response = VoiceResponse()
        if choice not in numbers:
            response.redirect(url_for("welcome"))
            return _twiml(response)
        response.say("Connecting you now.", voice="Polly.Amy")
        if choice == "3":
            # Planted: attributes are case-sensitive; Twilio ignores timeOut (12200).
            response.dial(numbers[choice], timeOut=20)
        else:
            response.dial(numbers[choice], timeout=20)
        response.hangup()
        return _twiml(response)

    return app


def _twiml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")
