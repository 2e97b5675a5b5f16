"""The web app: the Flask factory, Twilio's webhooks, the browser phone, menu reloads."""
