"""Celery's own EventReceiver on the interop app's broker: prints READY once it consumes
(after it asked every worker for a heartbeat, as `celery events` does), then one JSON
line per event, until it is killed."""
import json
import sys

from interop_app import app


def on_event(event):
    sys.stdout.write(json.dumps(event, default=str) + '\n')
    sys.stdout.flush()


with app.connection() as connection:
    receiver = app.events.Receiver(connection, handlers={'*': on_event})
    consume_ready = receiver.on_consume_ready

    def ready(*args, **kwargs):
        result = consume_ready(*args, **kwargs)
        sys.stdout.write('READY\n')
        sys.stdout.flush()
        return result

    receiver.on_consume_ready = ready
    receiver.capture(limit=None, timeout=None, wakeup=True)
