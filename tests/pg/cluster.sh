# tests/pg/cluster.sh: throw-away PostgreSQL clusters for the tests and the bench, sourced (. tests/pg/cluster.sh).
# PostgreSQL refuses to run as root: root runs the scripts, the servers run as postgres (runuser).
# Each cluster lives in a folder of its own (made here, owned by postgres), listens on 127.0.0.1
# only, on a free port, with its socket in that folder; the caller stops it (pg_cluster_stop) in
# its EXIT trap, whatever happens.
PGBIN=$(pg_config --bindir)
as_pg() { runuser -u postgres -- "$@"; }
pg_free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# pg_cluster_start DIR [SETTING...]: initdb DIR/data and start it; sets PG_PORT. Settings are
# extra "-c name=value" for the server (e.g. max_worker_processes=8).
pg_cluster_start() {
  dir=$1; shift
  mkdir -p "$dir" && chown postgres "$dir"
  PG_PORT=$(pg_free_port)
  as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; return 1; }
  opts="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c fsync=off"
  for s in "$@"; do opts="$opts -c $s"; done
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null \
    || { tail -20 "$dir/server.log"; return 1; }
}

# pg_cluster_stop DIR: stopped at once (a throw-away cluster needs no clean shutdown); quiet if not running
pg_cluster_stop() { as_pg "$PGBIN/pg_ctl" -D "$1/data" -m immediate stop >/dev/null 2>&1 || true; }

# pg_psql PORT: the psql command line for the cluster on PORT (as postgres, no .psqlrc, stop on error)
pg_psql() { echo "$PGBIN/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $1 -U postgres"; }
