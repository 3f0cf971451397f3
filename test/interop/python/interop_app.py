"""The Celery side of Celeriac's interop tests (test/interop/).

A small Celery 5 app configured from the environment, so every test file uses its own
queues and key prefix:

- CELERY_BROKER_URL, CELERY_RESULT_BACKEND: where it talks (Redis or RabbitMQ; Redis or rpc://).
- INTEROP_KEY_PREFIX: kombu's `global_keyprefix` on a Redis broker (Celeriac's `keyPrefix`),
  and the prefix of the keys tasks record in (whatever the broker).
- INTEROP_VISIBILITY_TIMEOUT: kombu's `visibility_timeout` (seconds) on a Redis broker.
- INTEROP_ACKS_LATE=1: ack after the task ran (Celery acks before by default).
- INTEROP_PREFETCH: `worker_prefetch_multiplier` (Celery's default is 4).
- INTEROP_MAX_PRIORITY: `task_queue_max_priority` (RabbitMQ queues get `x-max-priority`).
- INTEROP_STORE_URL: the Redis where tasks write what they did (behind INTEROP_KEY_PREFIX).
- INTEROP_DB_SCHEMA: the schema of Celery's result tables on a `db+postgresql://` backend
  (`database_table_schemas`), so each test file has its own.
- INTEROP_RESULT_EXTENDED=1: `result_extended` (the database backend then reads name, args...).
- INTEROP_SSL_CA, INTEROP_SSL_CERT, INTEROP_SSL_KEY: PEM files for a `rediss://` or `amqps://`
  broker (`broker_use_ssl`, in each transport's terms) and a `rediss://` backend
  (`redis_backend_use_ssl`); the server's certificate is required. With Sentinel, the
  sentinels are reached over TLS too (`sentinel_kwargs`).
- INTEROP_SENTINEL_MASTER: `master_name` of `sentinel://` broker and backend URLs
  (`broker_transport_options`, `result_backend_transport_options`).
- INTEROP_PARENT_PID: exit when that process is gone, so a crashed test run leaves no worker.
"""
import os
import threading
import time

import redis
from celery import Celery, signals

app = Celery('interop')

_broker_url = os.environ.get('CELERY_BROKER_URL', 'redis://127.0.0.1:6379/0')
_transport_options = {}
if os.environ.get('INTEROP_KEY_PREFIX') and _broker_url.startswith('redis'):
    _transport_options['global_keyprefix'] = os.environ['INTEROP_KEY_PREFIX']
if os.environ.get('INTEROP_VISIBILITY_TIMEOUT'):
    _transport_options['visibility_timeout'] = float(os.environ['INTEROP_VISIBILITY_TIMEOUT'])

app.conf.update(
    broker_url=_broker_url,
    result_backend=os.environ.get('CELERY_RESULT_BACKEND', 'redis://127.0.0.1:6379/0'),
    broker_transport_options=_transport_options,
    task_acks_late=os.environ.get('INTEROP_ACKS_LATE') == '1',
    worker_prefetch_multiplier=int(os.environ.get('INTEROP_PREFETCH', '4')),
    result_expires=3600,
    task_default_queue=os.environ.get('INTEROP_QUEUE', 'celery'),
    worker_hijack_root_logger=False,
)
if os.environ.get('INTEROP_DB_SCHEMA'):
    _schema = os.environ['INTEROP_DB_SCHEMA']
    app.conf.database_table_schemas = {'task': _schema, 'group': _schema}
if os.environ.get('INTEROP_RESULT_EXTENDED') == '1':
    app.conf.result_extended = True
if os.environ.get('INTEROP_SENTINEL_MASTER'):
    _transport_options['master_name'] = os.environ['INTEROP_SENTINEL_MASTER']
    app.conf.broker_transport_options = _transport_options
    app.conf.result_backend_transport_options = {
        'master_name': os.environ['INTEROP_SENTINEL_MASTER'],
    }
if os.environ.get('INTEROP_SSL_CA'):
    import ssl
    _ca, _cert, _key = (os.environ[f'INTEROP_SSL_{name}'] for name in ('CA', 'CERT', 'KEY'))
    if _broker_url.startswith('amqp'):
        # py-amqp's names: those of ssl.wrap_socket.
        app.conf.broker_use_ssl = {
            'ca_certs': _ca, 'certfile': _cert, 'keyfile': _key,
            'cert_reqs': ssl.CERT_REQUIRED,
        }
    else:
        app.conf.broker_use_ssl = {
            'ssl_ca_certs': _ca, 'ssl_certfile': _cert, 'ssl_keyfile': _key,
            'ssl_cert_reqs': ssl.CERT_REQUIRED,
        }
    if app.conf.result_backend.startswith(('rediss', 'sentinel')):
        app.conf.redis_backend_use_ssl = {
            'ssl_ca_certs': _ca, 'ssl_certfile': _cert, 'ssl_keyfile': _key,
            'ssl_cert_reqs': ssl.CERT_REQUIRED,
        }
    if os.environ.get('INTEROP_SENTINEL_MASTER'):
        _sentinel_kwargs = {
            'ssl': True, 'ssl_ca_certs': _ca, 'ssl_certfile': _cert, 'ssl_keyfile': _key,
            'ssl_cert_reqs': ssl.CERT_REQUIRED,
        }
        _transport_options['sentinel_kwargs'] = _sentinel_kwargs
        app.conf.result_backend_transport_options['sentinel_kwargs'] = _sentinel_kwargs
if os.environ.get('INTEROP_MAX_PRIORITY'):
    app.conf.task_queue_max_priority = int(os.environ['INTEROP_MAX_PRIORITY'])

_store = None


def store():
    """The Redis where tasks record what they did (keys behind INTEROP_KEY_PREFIX)."""
    global _store
    if _store is None:
        _store = redis.Redis.from_url(os.environ.get('INTEROP_STORE_URL', 'redis://127.0.0.1:6379/0'))
    return _store


def key(name):
    return os.environ.get('INTEROP_KEY_PREFIX', '') + name


class PaymentDeclined(Exception):
    """An exception class only Python knows: Celeriac reads its name and message."""


@app.task(name='py.add')
def add(a, b):
    return a + b


@app.task(name='py.mul')
def mul(a, b):
    return a * b


@app.task(name='py.tsum')
def tsum(numbers):
    return sum(numbers)


@app.task(name='py.fail')
def fail(message):
    raise ValueError(message)


@app.task(name='py.decline')
def decline(amount):
    raise PaymentDeclined(f'card declined for {amount}')


@app.task(name='py.flaky', bind=True)
def flaky(self):
    """Fails its first run and retries (Celery's retry: same id, retries + 1, an eta)."""
    if self.request.retries == 0:
        raise self.retry(exc=RuntimeError('not yet'), countdown=0.2)
    return f'ok after {self.request.retries} retry'


@app.task(name='py.echo')
def echo(*args, **kwargs):
    return {'args': list(args), 'kwargs': kwargs}


@app.task(name='py.when', bind=True)
def when(self):
    """When it ran and the eta it was given, both as epoch seconds."""
    eta = self.request.eta
    if isinstance(eta, str):
        from celery.utils.iso8601 import parse_iso8601
        eta = parse_iso8601(eta)
    return {'ran_at': time.time(), 'eta': eta.timestamp() if eta else None}


@app.task(name='py.trace_headers', bind=True)
def trace_headers(self):
    """The trace context as opentelemetry-instrumentation-celery reads it on a worker:
    its CeleryGetter takes `getattr(task.request, key)`, and Celery makes every message
    header an attribute of the request."""
    return {key: getattr(self.request, key, None) for key in ('traceparent', 'tracestate')}


@app.task(name='py.compression', bind=True)
def compression(self, payload):
    """The message's `compression` header as the worker saw it, and the payload's size."""
    return {'compression': getattr(self.request, 'compression', None), 'length': len(payload)}


@app.task(name='py.record')
def record(list_name, label):
    """Appends `label` to a list, so a test can read the order tasks ran in."""
    store().rpush(key(list_name), label)
    return label


@app.task(name='interop.mark', bind=True, acks_late=True)
def mark(self, run, pause_ms=0):
    """The shared task of the one-queue test; Celeriac registers the same name."""
    store().rpush(key(f'{run}:started'), f'{self.request.id} {self.request.hostname}')
    if pause_ms:
        time.sleep(pause_ms / 1000)
    pipe = store().pipeline()
    pipe.rpush(key(f'{run}:log'), f'{self.request.id} {self.request.hostname}')
    pipe.sadd(key(f'{run}:done'), self.request.id)
    pipe.execute()
    return 'py'


@signals.worker_ready.connect
def _wake_event_loop(sender=None, **_):
    """Works around Celery #6941 (open): with `-P threads` a finished task does not wake
    the worker's event loop, so once the prefetch limit is reached the next message is
    only fetched when some timer fires (kombu's 10 s restore timer on Redis). A no-op
    timer every 10 ms bounds that wait."""
    if type(sender.pool).__module__.endswith('concurrency.thread'):
        sender.timer.call_repeatedly(0.01, lambda: None)


def _exit_with_parent():
    parent = int(os.environ.get('INTEROP_PARENT_PID', '0'))
    if not parent:
        return

    def watch():
        while True:
            try:
                os.kill(parent, 0)
            except OSError:
                os._exit(3)
            time.sleep(1)

    threading.Thread(target=watch, name='interop-parent-watch', daemon=True).start()


_exit_with_parent()
