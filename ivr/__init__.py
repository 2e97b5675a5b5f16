"""ivr: a phone menu for Twilio, declared in menus.yaml, with an offline simulator."""

__version__ = "0.1.0"
