"""The web app: staff portal, WhatsApp simulator, payment and Twilio webhooks,
certificate verification and media downloads. Each capability registers its own
Sanic blueprint in `app.create_app`."""
