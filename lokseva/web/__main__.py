"""Run the web app: python -m lokseva.web --host 127.0.0.1 --port 8000"""

import argparse

from lokseva.channels.proactive import send_when_committed
from lokseva.settings import get_settings
from lokseva.web.app import create_app


def main() -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.web_port)
    args = parser.parse_args()
    app = create_app(settings)
    # What a webhook or a staff step writes for a citizen (a receipt, a delivery
    # step) goes out as soon as it is committed, not only with the outbox job.
    send_when_committed()
    app.run(host=args.host, port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
