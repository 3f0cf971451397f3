"""Celery's side of the RabbitMQ bench (Celery 5, run by bench/amqp).

Worker:  BENCH_QUEUE=q python3 -m celery -A celery_bench worker -P threads -c 10 -Q q
Send:    python3 celery_bench.py send <queue> <count>   (prints "sent <n> in <seconds>")

The no-op task `bench.noop`, acks late, results by rpc:// (as Celeriac's side).
"""
import os
import sys
import time

from celery import Celery

app = Celery("celery_bench")
app.conf.update(
    broker_url=os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672"),
    result_backend="rpc://",
    task_acks_late=True,
    worker_prefetch_multiplier=4,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
)


@app.task(name="bench.noop", acks_late=True)
def noop(*args, **kwargs):
    return None


def send(queue, count):
    with app.producer_or_acquire() as producer:
        started = time.perf_counter()
        for _ in range(count):
            app.send_task("bench.noop", queue=queue, producer=producer)
        elapsed = time.perf_counter() - started
    print("sent %d in %.6f" % (count, elapsed), flush=True)


if __name__ == "__main__" and sys.argv[1:2] == ["send"]:
    send(sys.argv[2], int(sys.argv[3]))
