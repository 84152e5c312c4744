"""Work spread over a pool of Ray actors: a local Ray instance on this machine's cores, or an
existing cluster by address. Each actor is built once (it loads its models once) and is fed
one item after another; results come back in the order of the items, with a bounded number
in flight, so memory does not grow with the input."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import ray
from ray.util import ActorPool

# Items in flight per actor: one being worked on, one waiting, so no actor idles.
AHEAD_PER_ACTOR = 2
OBJECT_STORE_BYTES = 80 << 20
# An actor uses one core: one Polars and BLAS thread, and few malloc arenas (each thread's
# arena otherwise keeps freed memory of its own).
ACTOR_ENVIRONMENT = {"POLARS_MAX_THREADS": "1", "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}


def _start(workers: int, address: str | None) -> bool:
    """Connect to Ray; True when this call started a local instance (to be shut down)."""
    if ray.is_initialized():
        return False
    options: dict[str, Any] = {
        "include_dashboard": False,
        "log_to_driver": False,
        # Ray's notices (its token authentication, start-up) are not the run's to show.
        "logging_level": logging.ERROR,
        "runtime_env": {"env_vars": ACTOR_ENVIRONMENT},
    }
    if address:
        ray.init(address=address, **options)
        return False
    # Chunks of articles and their annotations are small and few in flight. "local": an
    # instance of its own, even where another Ray runs on the machine (without it, Ray joins
    # the last one started, and a pool of this size cannot be asked of it).
    ray.init(address="local", num_cpus=workers, object_store_memory=OBJECT_STORE_BYTES, **options)
    return True


def ray_map_in_order(
    worker_class: type,
    setup: Any,
    items: Iterator[tuple[Any, Any]],
    workers: int,
    address: str | None = None,
) -> Iterator[tuple[Any, Any]]:
    """(key, ``worker.annotate(value)``) for each (key, value) of ``items``, in order."""
    started = _start(workers, address)
    try:
        actors_wanted = (
            workers if not address else max(1, int(ray.cluster_resources().get("CPU", 1)))
        )
        remote = ray.remote(num_cpus=1)(worker_class)
        actors = [remote.remote(setup) for _ in range(actors_wanted)]
        pool = ActorPool(actors)
        keys: list[Any] = []
        limit = AHEAD_PER_ACTOR * len(actors)
        for key, value in items:
            pool.submit(lambda actor, v: actor.annotate.remote(v), value)
            keys.append(key)
            if len(keys) >= limit:
                yield keys.pop(0), pool.get_next()
        while keys:
            yield keys.pop(0), pool.get_next()
        for actor in actors:
            ray.kill(actor)
    finally:
        if started:
            ray.shutdown()
