"""Sends tasks the way a Python producer does, for Celeriac's interop tests.

Reads one JSON object on stdin:

    {"calls": [{"name": "math.add", "args": [2, 3], "kwargs": {}, "options": {...},
                "wait": 10}],
     "bulk": {"name": "interop.mark", "args": ["run"], "count": 1000, "options": {...}},
     "results": [{"id": "<task id sent elsewhere>", "wait": 10}],
     "chain": [{"name": ..., "args": [...], "options": {"queue": ...}}, ...]}

`options` are send_task's (queue, countdown, expires, priority, ignore_result, headers...);
`eta` and `expires` may be ISO-8601 strings (datetimes in Python). With `"revoke": true`
the task is revoked (`app.control.revoke`) right after it is sent. With `wait` (seconds)
the script waits for the result with AsyncResult.get(propagate=False) and reports it.
`results` reads tasks sent elsewhere, as `AsyncResult(id).get()`. `chain` sends
`chain(*signatures)` and reports each step's id and state (the first waited for).
`workflow` sends `{"chain": [steps]}`, `{"group": [steps]}`, `{"chord": {"header": [steps],
"body": step}}` (a step may say `"immutable": true`), or `{"map" | "starmap" | "chunks": step,
"it": [...], "n": 2}` (Celery's xmap, xstarmap, chunks of the step's task) and reports its result (waited for) and
the ids of its parents. `restore_group` reads a group saved elsewhere with GroupResult.restore. Prints one JSON object:
{"calls": [{"id", "state", "result", "exc_type", "exc_module", "exc_message",
"is_instance", "traceback", "raised", "date_done"}], "bulk": [ids], "results": [same as calls]}.
"""
import builtins
import datetime
import json
import sys

from celery import chain, chord, group
from celery.canvas import chunks, xmap, xstarmap
from celery.result import GroupResult

from interop_app import app


def options_of(raw):
    options = dict(raw or {})
    for name in ('eta', 'expires'):
        if isinstance(options.get(name), str):
            options[name] = datetime.datetime.fromisoformat(options[name])
    return options


def report(result, wait):
    out = {'id': result.id}
    if wait is None:
        return out
    try:
        value = result.get(timeout=wait, propagate=False)
    except Exception as error:  # the timeout itself
        out.update(state='TIMEOUT', error=f'{type(error).__name__}: {error}')
        return out
    out['state'] = result.state
    if isinstance(value, BaseException):
        out['exc_type'] = type(value).__name__
        out['exc_module'] = type(value).__module__
        out['exc_message'] = str(value)
        out['is_instance'] = {
            name: isinstance(value, getattr(builtins, name))
            for name in ('TypeError', 'ValueError', 'Exception')
        }
        out['traceback'] = result.traceback
        try:  # what get() raises when it propagates, as a caller sees it
            result.get(timeout=wait)
        except Exception as raised:
            out['raised'] = f'{type(raised).__module__}.{type(raised).__name__}'
    else:
        out['result'] = value
    for field in ('name', 'args', 'kwargs', 'worker', 'retries', 'queue'):
        out[field] = getattr(result, field, None)  # result_extended fields (None without)
    done = result.date_done
    out['date_done'] = done.isoformat() if isinstance(done, datetime.datetime) else done
    return out


def signature_of(step):
    return app.signature(step['name'], args=step.get('args', []), kwargs=step.get('kwargs', {}),
                         options=options_of(step.get('options')),
                         immutable=step.get('immutable', False))


def run_builtin(spec):
    """`{"map" | "starmap": step, "it": [...]}` or `{"chunks": step, "it": [...], "n": 2}`,
    applied with the step's options as Python's `add.map(it).apply_async(**options)`."""
    kind = next(k for k in ('map', 'starmap', 'chunks') if k in spec)
    step = spec[kind]
    task = app.signature(step['name'])
    options = options_of(step.get('options'))
    if kind == 'chunks':
        result = chunks(task, spec['it'], spec['n']).apply_async(**options)
        try:
            return {'id': result.id, 'state': 'SUCCESS', 'result': result.get(timeout=spec.get('wait', 20))}
        except Exception as error:
            return {'id': result.id, 'state': 'FAILURE', 'exc_type': type(error).__name__, 'exc_message': str(error)}
    flow = (xmap if kind == 'map' else xstarmap)(task, spec['it'])
    return report(flow.apply_async(**options), spec.get('wait', 20))


def run_workflow(spec):
    if any(k in spec for k in ('map', 'starmap', 'chunks')):
        return dict(run_builtin(spec), parents=[])
    if 'chain' in spec:
        flow = chain(*[signature_of(step) for step in spec['chain']])
    elif 'group' in spec:
        flow = group([signature_of(step) for step in spec['group']])
    else:
        flow = chord([signature_of(step) for step in spec['chord']['header']],
                     signature_of(spec['chord']['body']))
    result = flow.apply_async()
    out = report(result, spec.get('wait', 20))
    parents, parent = [], result.parent
    while parent is not None:
        parents.insert(0, parent.id)
        parent = parent.parent
    out['parents'] = parents
    return out


def main():
    request = json.load(sys.stdin)
    sent = []
    for call in request.get('calls', []):
        result = app.send_task(
            call['name'],
            args=call.get('args', []),
            kwargs=call.get('kwargs', {}),
            **options_of(call.get('options')),
        )
        if call.get('revoke'):
            app.control.revoke(result.id)
        sent.append((result, call.get('wait')))
    out = {'calls': [report(result, wait) for result, wait in sent]}
    if 'results' in request:
        out['results'] = [report(app.AsyncResult(r['id']), r.get('wait', 10)) for r in request['results']]
    if 'chain' in request:
        steps = [
            app.signature(step['name'], args=step.get('args', []), kwargs=step.get('kwargs', {}),
                          options=options_of(step.get('options')))
            for step in request['chain']
        ]
        last = chain(*steps).apply_async()
        results = []
        while last is not None:
            results.insert(0, last)
            last = last.parent
        out['chain'] = [report(results[0], 10)] + [
            {'id': result.id, 'state': result.state} for result in results[1:]
        ]
    if 'workflow' in request:
        out['workflow'] = run_workflow(request['workflow'])
    if 'restore_group' in request:
        restored = GroupResult.restore(request['restore_group'], app=app)
        out['restored'] = None if restored is None else {
            'id': restored.id,
            'ids': [r.id for r in restored.results],
            'values': restored.get(timeout=20),
        }
    if 'sort_by_date_done' in request:
        # A Python result stored by this Celery (its own date_done form), then sorted()
        # with the others by date_done, as a dashboard would.
        own = request['sort_by_date_done']['store_own']
        app.backend.store_result(own, 'python', 'SUCCESS')
        ids = request['sort_by_date_done']['ids'] + [own]
        try:
            out['sorted'] = [r.id for r in sorted((app.AsyncResult(i) for i in ids), key=lambda r: r.date_done)]
        except TypeError as error:
            out['sorted'] = f'TypeError: {error}'
    bulk = request.get('bulk')
    if bulk:
        options = options_of(bulk.get('options'))
        out['bulk'] = [
            app.send_task(bulk['name'], args=bulk.get('args', []), kwargs=bulk.get('kwargs', {}), **options).id
            for _ in range(bulk['count'])
        ]
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
