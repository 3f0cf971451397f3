"""Python Celery 5.2 in the Redis bench (BENCH_REDIS_CELERY=1): the `bench.noop` task,
acks late, results in Redis, kombu keys behind the scenario's prefix. Run as a worker
(`python3 -m celery -A celery_bench worker -P threads ...`) or as a producer
(`python3 celery_bench.py enqueue N`, which prints `BENCH {"ms": ...}`)."""
import json
import os
import sys
import time

from celery import Celery

QUEUE = os.environ["BENCH_QUEUE"]
URL = os.environ["BENCH_REDIS_URL"]

app = Celery("celery_bench", broker=URL, backend=URL)
app.conf.update(
    broker_transport_options={"global_keyprefix": os.environ["BENCH_PREFIX"]},
    task_acks_late=True,
    task_default_queue=QUEUE,
    # Celery 5.2 puts no prefix on result keys: they expire by themselves.
    result_expires=120,
    worker_hijack_root_logger=False,
)


@app.task(name="bench.noop")
def noop(*args, **kwargs):
    return None


def enqueue(n):
    for i in range(min(1000, max(1, n // 5))):  # warm-up, untimed
        app.send_task("bench.noop", [i], queue=QUEUE)
    started = time.perf_counter()
    for i in range(n):
        app.send_task("bench.noop", [i], queue=QUEUE)
    ms = (time.perf_counter() - started) * 1000
    print("BENCH " + json.dumps({"ms": ms}), flush=True)


if __name__ == "__main__" and sys.argv[1] == "enqueue":
    enqueue(int(sys.argv[2]))
