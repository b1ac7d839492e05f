"""The same tasks on the other queues: the database queue and Redis (RQ) with a real worker."""

from __future__ import annotations

import pytest

from jobs import tasks as job_tasks
from jobs.models import Job, State


def _redis_or_skip():
    pytest.importorskip("django_tasks_rq")
    import django_rq

    connection = django_rq.get_connection("default")
    try:
        connection.ping()
    except Exception as error:
        pytest.skip(f"no Redis at {connection}: {error}")
    return django_rq


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_on_redis_through_an_rq_worker(settings, monkeypatch):
    django_rq = _redis_or_skip()
    from django_tasks_rq.backend import Job as RQJob
    from rq import SimpleWorker

    settings.ASSETMAP_TASK_BACKEND = "rq"
    queue = django_rq.get_queue("default", job_class=RQJob)
    queue.empty()
    seen = []
    monkeypatch.setitem(
        job_tasks.HANDLERS, "rq-test", lambda job, progress: seen.append(job.pk) or None
    )
    job = job_tasks.start(Job(kind="rq-test", scope="test", title="on Redis"))
    job.refresh_from_db()
    assert job.state == State.WAITING  # queued on Redis, no worker yet
    assert queue.count == 1
    worker = SimpleWorker([queue], connection=queue.connection, job_class=RQJob)
    worker.work(burst=True)
    job.refresh_from_db()
    assert job.state == State.DONE and seen == [job.pk]
