"""Two Knowhow nodes on this machine sharing PostgreSQL and Redis (docs/deployment.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/knowhow \\
    REDIS_URL=redis://127.0.0.1:6379/2 \\
    .venv/bin/python -m bench.two_nodes [--workers 2] [--seconds 600]

Starts two gunicorn instances with production settings apart from TLS
(bench.settings, as bench/throughput.py runs them) on two free loopback
ports, with the same secret keys, against the PostgreSQL database
DATABASE_URL names (migrated beforehand: `manage.py migrate`) and the Redis
REDIS_URL names; without REDIS_URL it starts a redis-server of its own on a
free port. It prints both addresses, then waits until Ctrl+C (or --seconds)
and stops everything it started. Sign in on one address and carry on on the
other: the session, progress and sign-in rate limits are the same.

Each node also gets its background worker (`manage.py worker`: the task
queue, the scheduler and the reaper), both on the shared database. Emails go
to a local SMTP server this script starts (it prints how many it received
when it stops), so nothing leaves the machine.
tests/deployment/test_two_nodes.py drives the same set-up with a scripted client.
"""

import argparse
import os
import secrets
import sys
import tempfile
import time

from bench.processes import (
    GunicornNode,
    RedisServer,
    SMTPServer,
    WorkerProcess,
    collectstatic,
    node_env,
)

# The development settings' fixed, published key: fine for two nodes on loopback.
DEV_SIGNING_KEY = "ZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1zZWNyZXQta3k"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to a migrated PostgreSQL database: nodes share it")
    redis = None
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        redis = RedisServer().start()
        redis_url = redis.url
    smtp = SMTPServer().start()
    nodes, workers = [], []
    with tempfile.TemporaryDirectory(prefix="knowhow-two-nodes-static-") as static_root:
        env = node_env(
            database_url=database_url,
            redis_url=redis_url,
            # Shared by both nodes: each must accept the other's session cookies.
            secret_key=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
            signing_key=os.environ.get("CERTIFICATE_SIGNING_KEY") or DEV_SIGNING_KEY,
            static_root=static_root,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_USE_TLS="false",
        )
        try:
            collectstatic(env)
            for name in "AB":
                nodes.append(GunicornNode(env, workers=args.workers, name=name).start())
                workers.append(WorkerProcess(env, name=f"worker-{name}").start())
            print(f"Redis:  {redis_url}" + (" (started here)" if redis else ""))
            print(f"SMTP:   127.0.0.1:{smtp.port} (started here; keeps what it receives)")
            for name, node, worker in zip("AB", nodes, workers, strict=True):
                print(f"Node {name}: {node.url}/  worker {worker.worker_id}")
            print("Both answer /healthz. Ctrl+C stops them.", flush=True)
            deadline = None if args.seconds is None else time.monotonic() + args.seconds
            while deadline is None or time.monotonic() < deadline:
                for node in nodes:
                    if node.process.poll() is not None:
                        print(f"{node.name} exited", file=sys.stderr)
                        return 1
                for worker in workers:
                    if not worker.running():
                        print(f"{worker.name} exited:\n{worker.output()}", file=sys.stderr)
                        return 1
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for process in workers + nodes:
                process.stop()
            smtp.stop()
            print(f"The SMTP server received {len(smtp.messages)} email(s).")
            if redis:
                redis.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
