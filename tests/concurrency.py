"""Run one call from many threads at the same moment (PostgreSQL race tests)."""

import threading

from django.db import connections


def run_at_once(target, arguments, *, expected=()):
    """Call `target(argument)` for every argument, each in its own thread with
    its own database connection, released together by a barrier.

    Returns what each call returned, in the order they finished; a call that
    raised one of the `expected` exception types contributes the exception
    instead. Any other exception fails the test, with every such error listed.
    """
    arguments = list(arguments)
    barrier = threading.Barrier(len(arguments))
    outcomes, errors = [], []

    def worker(argument):
        try:
            barrier.wait()
            outcomes.append(target(argument))
        except expected as error:
            outcomes.append(error)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return outcomes
