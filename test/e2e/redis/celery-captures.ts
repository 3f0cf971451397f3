/**
 * Envelopes captured from Celery 5.2.6 / kombu 5.2.4 over Redis 7.0
 * (`redis-cli MONITOR`, 2026-11-22; see test/fixtures/celery-5.2/README.md), verbatim.
 * The capture shows the priority-5 body decoded; it is base64-encoded back here.
 * The minimal message's ids are filled in (the capture shows `<uuid>`).
 */

/** `app.send_task('tasks.add', args=[2, 3])`: LPUSH celery. */
export const CAPTURED_SEND_TASK =
  '{"body": "W1syLCAzXSwge30sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogbnVsbH1d", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": "py", "task": "tasks.add", "id": "a5e7a51a-0600-40ac-a93f-3e84ca69a206", "shadow": null, "eta": null, "expires": null, "group": null, "group_index": null, "retries": 0, "timelimit": [null, null], "root_id": "a5e7a51a-0600-40ac-a93f-3e84ca69a206", "parent_id": null, "argsrepr": "[2, 3]", "kwargsrepr": "{}", "origin": "gen6276@vm", "ignore_result": false}, "properties": {"correlation_id": "a5e7a51a-0600-40ac-a93f-3e84ca69a206", "reply_to": "85f5d540-71b9-338c-91e0-809ff8345d83", "delivery_mode": 2, "delivery_info": {"exchange": "", "routing_key": "celery"}, "priority": 0, "body_encoding": "base64", "delivery_tag": "bc36373c-c39e-4616-91f5-323566f7437c"}}';

/** `send_task(..., kwargs={'z': 1}, countdown=10, expires=60, priority=5, queue='other')`: LPUSH other\x06\x163. */
export const CAPTURED_PRIORITY_5 =
  '{"body": "W1syLCAzXSwgeyJ6IjogMX0sIHsiY2FsbGJhY2tzIjogbnVsbCwgImVycmJhY2tzIjogbnVsbCwgImNoYWluIjogbnVsbCwgImNob3JkIjogbnVsbH1d", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"lang": "py", "task": "tasks.add", "id": "619a6a4d-d592-491a-aa3f-fbae5de5d3a2", "shadow": null, "eta": "2026-11-22T02:39:19.867098+00:00", "expires": "2026-11-22T02:40:09.867098+00:00", "group": null, "group_index": null, "retries": 0, "timelimit": [null, null], "root_id": "619a6a4d-d592-491a-aa3f-fbae5de5d3a2", "parent_id": null, "argsrepr": "[2, 3]", "kwargsrepr": "{\'z\': 1}", "origin": "gen6276@vm", "ignore_result": false}, "properties": {"correlation_id": "619a6a4d-d592-491a-aa3f-fbae5de5d3a2", "reply_to": "85f5d540-71b9-338c-91e0-809ff8345d83", "delivery_mode": 2, "expiration": "60000", "delivery_info": {"exchange": "", "routing_key": "other"}, "priority": 5, "body_encoding": "base64", "delivery_tag": "f4892e7f-93f7-403e-b385-5d745f673100"}}';

/** The minimal message a 5.2.6 worker ran: raw body, no body_encoding. */
export const CAPTURED_MINIMAL =
  '{"body": "[[2, 3], {}, null]", "content-type": "application/json", "content-encoding": "utf-8", "headers": {"lang": "py", "task": "tasks.add", "id": "3c0b1d3e-5a53-4d4c-9f0e-2f3f8b6a1c11"}, "properties": {"delivery_tag": "8d7e2a4c-0f5b-4f7e-9a53-6b2c1d0e9f88", "delivery_info": {"exchange": "", "routing_key": "celery"}}}';

/**
 * Remote control (pidbox) envelopes PUBLISHed by Celery 5.2.6 / kombu 5.2.4 on Redis
 * 7.0.15, captured with `PSUBSCRIBE *`, verbatim. Broker `redis://.../3`, so the channel
 * was `/3.celery.pidbox`; with `global_keyprefix: 'pfx:'` it was `pfx:/3.celery.pidbox`.
 */

/** `app.control.revoke('11111111-2222-3333-4444-555555555555')`. */
export const CAPTURED_PIDBOX_REVOKE =
  '{"body": "eyJtZXRob2QiOiAicmV2b2tlIiwgImFyZ3VtZW50cyI6IHsidGFza19pZCI6ICIxMTExMTExMS0yMjIyLTMzMzMtNDQ0NC01NTU1NTU1NTU1NTUiLCAidGVybWluYXRlIjogZmFsc2UsICJzaWduYWwiOiAiU0lHVEVSTSJ9LCAiZGVzdGluYXRpb24iOiBudWxsLCAicGF0dGVybiI6IG51bGwsICJtYXRjaGVyIjogbnVsbH0=", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"clock": 1, "expires": 1795324160.3563888}, "properties": {"delivery_mode": 2, "delivery_info": {"exchange": "celery.pidbox", "routing_key": ""}, "priority": 0, "body_encoding": "base64", "delivery_tag": "efe73856-6dcb-4450-b738-b165547704f3"}}';

/** `app.control.revoke(['a-1', 'a-2'], terminate=True, signal='SIGKILL')`. */
export const CAPTURED_PIDBOX_REVOKE_TERMINATE =
  '{"body": "eyJtZXRob2QiOiAicmV2b2tlIiwgImFyZ3VtZW50cyI6IHsidGFza19pZCI6IFsiYS0xIiwgImEtMiJdLCAidGVybWluYXRlIjogdHJ1ZSwgInNpZ25hbCI6ICJTSUdLSUxMIn0sICJkZXN0aW5hdGlvbiI6IG51bGwsICJwYXR0ZXJuIjogbnVsbCwgIm1hdGNoZXIiOiBudWxsfQ==", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"clock": 2, "expires": 1795324160.3577397}, "properties": {"delivery_mode": 2, "delivery_info": {"exchange": "celery.pidbox", "routing_key": ""}, "priority": 0, "body_encoding": "base64", "delivery_tag": "a2bed608-2507-4665-b67e-b204498227be"}}';

/** `app.control.ping(timeout=0.3)` (broker db 0): a request that wants replies. */
export const CAPTURED_PIDBOX_PING =
  '{"body": "eyJtZXRob2QiOiAicGluZyIsICJhcmd1bWVudHMiOiB7fSwgImRlc3RpbmF0aW9uIjogbnVsbCwgInBhdHRlcm4iOiBudWxsLCAibWF0Y2hlciI6IG51bGwsICJ0aWNrZXQiOiAiZjdjMmNhNjgtMDFiNC00YWE1LTgyZGEtYzM2ZTQ1MjQ0MTk4IiwgInJlcGx5X3RvIjogeyJleGNoYW5nZSI6ICJyZXBseS5jZWxlcnkucGlkYm94IiwgInJvdXRpbmdfa2V5IjogIjg1YjY1ZTJiLTNkMTktMzAxMS1iOGZiLWZjMTVjMTk3YTMyNSJ9fQ==", "content-encoding": "utf-8", "content-type": "application/json", "headers": {"clock": 1, "expires": 1795325476.6294105}, "properties": {"delivery_mode": 2, "delivery_info": {"exchange": "celery.pidbox", "routing_key": ""}, "priority": 0, "body_encoding": "base64", "delivery_tag": "89891648-5158-47b0-9f9c-e98cd8b1d949"}}';
