#!/usr/bin/env bash
# Makes sure the services the tests talk to are up: PostgreSQL, Redis and RabbitMQ on
# their standard local ports. Starts them with the machine's own commands when they are
# installed but down; otherwise says what is missing.
set -uo pipefail
ok=1
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "==> starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 -q || { echo "error: PostgreSQL is not running on 127.0.0.1:5432 (the tests need it)"; ok=0; }
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    echo "==> starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in $(seq 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "error: Redis is not running on 127.0.0.1:6379 (the tests need it)"; ok=0; }
fi
# RabbitMQ (Rasa's event broker in the cluster tests and the portal's stream tests).
if ! (echo > /dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  if command -v rabbitmq-server >/dev/null; then
    echo "==> starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 60); do (echo > /dev/tcp/127.0.0.1/5672) 2>/dev/null && break; sleep 1; done
  fi
  (echo > /dev/tcp/127.0.0.1/5672) 2>/dev/null || { echo "error: RabbitMQ is not running on 127.0.0.1:5672 (the tests need it)"; ok=0; }
fi
[ "$ok" = 1 ]
