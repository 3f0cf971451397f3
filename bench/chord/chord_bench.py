"""Python Celery 5.2 in the chord bench: `bench.add` and `bench.tsum`, results in Redis
(Celery's native chord counter, no chord_unlock). Run as a worker
(`python3 -m celery -A chord_bench worker -P threads ...`) or as the producer
(`python3 chord_bench.py chord SIZE ROUNDS`, which prints `BENCH {"ms": [...]}`: per round,
from sending the chord to its body's result)."""
import json
import os
import sys
import time

from celery import Celery, chord

QUEUE = os.environ["BENCH_QUEUE"]
URL = os.environ["BENCH_REDIS_URL"]

app = Celery("chord_bench", broker=URL, backend=URL)
app.conf.update(
    broker_transport_options={"global_keyprefix": os.environ["BENCH_PREFIX"]},
    task_acks_late=True,
    task_default_queue=QUEUE,
    result_expires=120,
    worker_hijack_root_logger=False,
)


@app.task(name="bench.add")
def add(a, b):
    return a + b


@app.task(name="bench.tsum")
def tsum(numbers):
    return sum(numbers)


def run(size, rounds):
    times = []
    expected = sum(i + i for i in range(size))
    for _ in range(rounds):
        started = time.perf_counter()
        result = chord([add.s(i, i) for i in range(size)], tsum.s()).apply_async()
        value = result.get(timeout=600)
        times.append((time.perf_counter() - started) * 1000)
        if value != expected:
            raise SystemExit(f"chord returned {value}, expected {expected}")
    print("BENCH " + json.dumps({"ms": times}), flush=True)


if __name__ == "__main__" and sys.argv[1] == "chord":
    run(int(sys.argv[2]), int(sys.argv[3]))
