"""gunicorn settings for production and the benchmarks (gunicorn reads ./gunicorn.conf.py by default)."""

import gc

# A full collection walks every object the worker holds; with the start-up objects frozen it is short.
FULL_COLLECTION_EVERY = 1000


def post_worker_init(worker):
    # What the worker has loaded (Django, the apps, their modules) lives as long as it does: keep it out of
    # every collection, which otherwise walks all of it and stalls a request for over 100 ms now and then.
    gc.freeze()
    # Collect between requests, not during them: a workbench keystroke allocates tens of thousands of objects,
    # and a collection that starts in the middle of one stalls it for milliseconds. The raised threshold is a
    # backstop for a request that allocates far more.
    gc.set_threshold(100_000, 50, 100)
    worker.requests_since_full_collection = 0


def post_request(worker, req, environ, resp):
    # gunicorn calls this once the response is written, so a collection delays no one's answer.
    worker.requests_since_full_collection += 1
    if worker.requests_since_full_collection >= FULL_COLLECTION_EVERY:
        worker.requests_since_full_collection = 0
        gc.collect(2)
    else:
        gc.collect(1)
