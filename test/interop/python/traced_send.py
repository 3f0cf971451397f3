"""Sends one task from Python with a trace context in its headers, put there the way
opentelemetry-instrumentation-celery puts it: in a `before_task_publish` handler, into
the `headers` dict the signal gives (the message headers), as `inject(headers)` does
with the W3C propagator (Debian has no OpenTelemetry package for Python, so the two
headers are written here as the propagator would write them).

Reads one JSON object on stdin: {"name", "args", "queue", "traceparent", "tracestate",
"wait"}; prints {"id", "state", "result", "headers"} (the headers as published).
"""
import json
import sys

from celery import signals

from interop_app import app

published = {}


def main():
    request = json.load(sys.stdin)

    @signals.before_task_publish.connect(weak=False)
    def inject(headers=None, **_):
        if headers is None:
            return
        headers['traceparent'] = request['traceparent']
        if request.get('tracestate'):
            headers['tracestate'] = request['tracestate']
        published.update(headers)

    result = app.send_task(request['name'], args=request.get('args', []), queue=request['queue'])
    value = result.get(timeout=request.get('wait', 20))
    json.dump({'id': result.id, 'state': result.state, 'result': value,
               'headers': {k: published.get(k) for k in ('traceparent', 'tracestate')}},
              sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
