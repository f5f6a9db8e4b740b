"""The task worker: huey's consumer run alone (`shopops worker`) or inside the web process (`shopops serve`),
and its heartbeat, so that pages with queued work can tell when nothing will run it.

The heartbeat is a timestamp in huey's own storage (the SQLite task file, or Redis with ``REDIS_URL``), written
by the consumer's scheduler thread every ``HEARTBEAT_EVERY`` seconds: every process that queues tasks reads
the store the workers beat into, whatever the database, and a worker busy with long imports still beats.
Several consumers share one key: any of them alive keeps it fresh.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy
from huey.api import Huey
from huey.consumer import Consumer, ConsumerStopped, Scheduler
from huey.consumer_options import ConsumerConfig
from huey.contrib.djhuey import HUEY

from shopops.core.clock import now

HEARTBEAT_KEY = "shopops:worker-heartbeat"
HEARTBEAT_EVERY = 30.0  # seconds between two beats of a running consumer
HEARTBEAT_FRESH = dt.timedelta(minutes=2)  # a beat older than this: no consumer is running
STOP_TIMEOUT = 30.0  # seconds a stopping serve waits for the tasks in hand before it leaves them

WORKER_MISSING = gettext_lazy("Background tasks are not running: run shopops worker, or start with shopops serve "
                              "(it includes background tasks by default).")

log = logging.getLogger(__name__)


def _or_the_apps(huey: Huey | None) -> Huey:
    return HUEY if huey is None else huey


def heartbeat_record(huey: Huey | None = None, *, at: dt.datetime | None = None) -> None:
    """Say that a consumer of ``huey`` (default: the app's) is alive now (or ``at``)."""
    _or_the_apps(huey).put(HEARTBEAT_KEY, (at or now()).timestamp())


def heartbeat_at(huey: Huey | None = None) -> dt.datetime | None:
    """When a consumer last said it was alive; None if none ever did (or the store cannot be read)."""
    try:
        beat = _or_the_apps(huey).get(HEARTBEAT_KEY, peek=True)
    except Exception:  # a store that cannot be read (Redis down) has no consumer to report either
        log.warning("cannot read the worker heartbeat", exc_info=True)
        return None
    return dt.datetime.fromtimestamp(beat, tz=dt.UTC) if isinstance(beat, int | float) else None


def worker_running(*, huey: Huey | None = None, at: dt.datetime | None = None) -> bool:
    """Is a consumer running (it beat within ``HEARTBEAT_FRESH``)? Queued tasks wait for one."""
    beat = heartbeat_at(huey)
    return beat is not None and beat > (at or now()) - HEARTBEAT_FRESH


def worker_missing_notice(*, queued: bool) -> Promise | None:
    """The notice a page with queued work shows when no consumer runs (None: nothing to say)."""
    return WORKER_MISSING if queued and not worker_running() else None


class HeartbeatScheduler(Scheduler):
    """huey's scheduler (delayed and periodic tasks, every second) that also beats the heartbeat: it runs in
    every consumer, apart from the workers, so a long task does not silence it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._next_beat = time.monotonic()

    def loop(self, now: dt.datetime | None = None) -> None:
        if time.monotonic() >= self._next_beat:
            self._next_beat = time.monotonic() + HEARTBEAT_EVERY
            try:
                heartbeat_record(self.huey)
            except Exception:  # the store is away for a moment: the next beat tries again
                self._logger.exception("cannot record the worker heartbeat")
        super().loop(now)


class BeatingConsumer(Consumer):
    """huey's consumer with the heartbeat: `shopops worker`, which owns its process and its signals."""

    scheduler_class = HeartbeatScheduler

    def start(self) -> None:
        # huey installs its signal handlers after starting its threads: first, so that once the heartbeat
        # says "running", a SIGTERM stops the consumer cleanly (never the default, abrupt end)
        self._set_signal_handlers()
        super().start()


C = TypeVar("C", bound=BeatingConsumer)


class InProcessConsumer(BeatingConsumer):
    """The consumer inside `shopops serve`: the web server's main thread keeps Ctrl+C and SIGTERM (huey's
    handlers would take them from it, and cannot be installed from another thread)."""

    def _set_signal_handlers(self) -> None:
        pass


def _consumer(kind: type[C], huey: Huey, workers: int) -> C:
    """A consumer of thread workers with the periodic tasks on (alerts, expiries, the nightly clean-ups)."""
    autodiscover_modules("tasks")  # every app's tasks.py registers its tasks and periodic tasks with the huey
    # an idle worker polls the SQLite queue at most every 2 s (huey's default backs off to 10 s), so an upload
    # does not sit "queued" for long; Redis hands tasks over at once
    return kind(huey, workers=workers, worker_type="thread", periodic=True, max_delay=2.0)


def consumer_log_to_console(*, quiet: bool) -> None:
    """Show huey's log on stderr as `run_huey` does (the settings keep it from propagating twice): its
    progress too, or (``quiet``, inside serve) only warnings and errors."""
    logger = logging.getLogger("huey")
    if not logger.handlers:
        ConsumerConfig(worker_type="thread", verbose=False if quiet else None).setup_logger(logger)


def consumer_run(*, workers: int) -> None:
    """`shopops worker`: run the consumer in this process until a signal stops it (huey's handlers)."""
    _consumer(BeatingConsumer, HUEY, workers).run()


@dataclass
class BackgroundConsumer:
    """A consumer running in threads of this process; ``stop`` ends it."""

    consumer: InProcessConsumer
    watcher: threading.Thread

    def threads(self) -> list[threading.Thread]:
        return [self.watcher, self.consumer.scheduler, *(thread for _worker, thread in self.consumer.worker_threads)]

    def stop(self, *, timeout: float = STOP_TIMEOUT) -> bool:
        """Stop taking tasks, wait up to ``timeout`` seconds for those in hand; True if every thread ended (a
        task still running after that dies with the process; the next worker start settles its import job)."""
        deadline = time.monotonic() + timeout
        self.consumer.shutdown_timeout = timeout
        self.consumer.stop(graceful=True)
        self.watcher.join(max(deadline - time.monotonic(), 0))
        return not any(thread.is_alive() for thread in self.threads())


def _watch(consumer: InProcessConsumer) -> None:
    """The consumer's own main loop (huey's ``Consumer.run`` without signals or re-exec): it restarts a worker
    or the scheduler that died, until the stop flag is set."""
    health_checked = time.monotonic()
    while True:
        try:
            health_checked = consumer.loop(health_checked)
        except ConsumerStopped:
            break
    consumer.huey.notify_interrupted_tasks()


def background_consumer_start(*, workers: int, huey: Huey | None = None) -> BackgroundConsumer | None:
    """Start a consumer of ``huey`` (default: the app's) in background threads of this process; None when
    huey runs tasks inline (immediate mode, the tests' settings): there is no queue to consume."""
    huey = _or_the_apps(huey)
    if huey.immediate:
        return None
    consumer = _consumer(InProcessConsumer, huey, workers)
    consumer.start()
    watcher = threading.Thread(target=_watch, args=(consumer,), name="huey-consumer", daemon=True)
    watcher.start()
    return BackgroundConsumer(consumer=consumer, watcher=watcher)
