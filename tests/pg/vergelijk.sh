# tests/pg/vergelijk.sh: sourced by tests/pg/run.sh (its cluster, database $DB with rule set wia and
# lus, sql, $F, $T, $DAGLOON). What tools/pg/vergelijk.c and the engine's out-of-memory handler add:
#  1. dagloon.vergelijk equals `dagloon compare rules/wia PROPOSAL DOSSIERS -o rijen.csv` byte for
#     byte (COPY ... CSV HEADER of the whole column list dagloon.vergelijk_kolommen gives) for every
#     shipped proposal of rules/voorstellen, over tests/compare/voorstellen.sh's population (1,000
#     generated dossiers, seed 1) plus four dossiers that give error rows (input and computation);
#  2. the engine out of memory in one backend (its address space bounded with prlimit) ends that
#     session with a FATAL, not the server: no restart, another session carries on.

# 1. the comparison, per proposal, against compare's own rows
python3 tools/gen_population.py 1000 1 > "$F/vergelijk.jsonl"
python3 - "$F/vergelijk.jsonl" >> "$F/vergelijk.jsonl" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").readline())
print(json.dumps({"id": "B1"}))                                   # almost nothing: a missing field
print(json.dumps(dict(d, id="F1", einde_opzegtermijn="2019-05-01")))   # the base's computation fails
g = dict(d, id="B2"); del g["eerste_ao_dag"]; print(json.dumps(g))
print(json.dumps(dict(d, id="B3", eerste_ao_dag="2023-02-30")))   # no such date
PY
chown postgres "$F/vergelijk.jsonl"
sql -c "CREATE TABLE vergelijk_dossiers AS SELECT nr, regel::jsonb AS dossier FROM regexp_split_to_table(
          rtrim(pg_read_file('dagloon/vergelijk.jsonl'), E'\n'), E'\n') WITH ORDINALITY AS t(regel, nr)" >/dev/null
for p in rules/voorstellen/*/; do
  name=$(basename "$p")
  "$DAGLOON" compile "$p" -o "$F/$name.bundle" 2>/dev/null
  chown postgres "$F/$name.bundle"
  sql -c "SELECT dagloon.laad('$name', pg_read_binary_file('dagloon/$name.bundle'))" >/dev/null
  st=0
  "$DAGLOON" compare rules/wia "$p" "$F/vergelijk.jsonl" -o "$T/compare-$name.csv" >/dev/null 2>&1 || st=$?
  [ $st -eq 3 ] || { echo "error: dagloon compare rules/wia $p gave exit $st, not 3 (error rows)"; exit 1; }
  [ "$(grep -c ',fout,' "$T/compare-$name.csv")" -eq 4 ] || { echo "error: compare's rows for $name lack the 4 error rows"; exit 1; }
  kolommen=$(sql -c "SELECT dagloon.vergelijk_kolommen('wia', '$name')")
  namen=$(echo "$kolommen" | sed 's/^sleutel text, //; s/ [a-z0-9(),]*\(, \|$\)/\1/g')
  sql -c "COPY (SELECT $namen FROM dagloon.vergelijk('wia', '$name', 'SELECT nr, dossier FROM vergelijk_dossiers ORDER BY nr')
            AS t($kolommen)) TO STDOUT WITH (FORMAT csv, HEADER)" > "$T/vergelijk-$name.csv"
  cmp "$T/compare-$name.csv" "$T/vergelijk-$name.csv" \
    || { diff "$T/compare-$name.csv" "$T/vergelijk-$name.csv" | head; echo "error: dagloon.vergelijk('wia', '$name') differs from dagloon compare"; exit 1; }
  [ "$(wc -l < "$T/vergelijk-$name.csv")" -eq 1005 ] || { echo "error: not 1,004 rows for $name"; exit 1; }
done
# the proposal whose outcome differs most: compare's counts (tests/compare/voorstellen.sh prints them)
[ "$(sql -c "SELECT string_agg(uitkomst || ' ' || n, ', ' ORDER BY uitkomst) FROM (SELECT uitkomst, count(*) AS n
       FROM dagloon.vergelijk('wia', 'een_referteperiode', 'SELECT dossier FROM vergelijk_dossiers')
       AS t(uitkomst text) GROUP BY uitkomst) x")" = "beter 227, fout 4, gelijk 246, slechter 527" ] \
  || { echo "error: dagloon.vergelijk's outcomes for een_referteperiode are not compare's"; exit 1; }

# 2. out of memory in the engine: this session ends (FATAL), the server does not restart
started=$(sql -c "SELECT pg_postmaster_start_time()")
runuser -u postgres -- $PSQL -At -d "$DB" -c "SELECT pg_sleep(600)" >/dev/null 2>&1 &
sleeper=$!
# the backend's address space: what it uses now plus 200 MB (prlimit on its own pid, as postgres;
# then the COPY's row read, or a prlimit done first would make its write a broken pipe)
OOM="DO \$\$ BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L',
       format('prlimit --pid %s --as=%s && cat >/dev/null', pg_backend_pid(),
              (SELECT 1024 * (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmSize:\\s+(\\d+)'))[1]::bigint + 200000000)));
     END \$\$"
if timeout 120 runuser -u postgres -- $PSQL -At -d "$DB" -c "SET dagloon.max_steps = 2000000000" -c "SET dagloon.max_memory = '16GB'" \
     -c "$OOM" -c "$RUNAWAY" >"$T/oom.out" 2>&1; then
  cat "$T/oom.out"; echo "error: the runaway rule set did not run out of memory"; exit 1
fi
grep -q 'FATAL:  dagloon: out of memory in the engine' "$T/oom.out" || { cat "$T/oom.out"; echo "error: no FATAL for the engine out of memory"; exit 1; }
sleep 1
if grep -q 'terminating any other active server processes\|was terminated by signal\|exited with exit code 5' "$T/server.log"; then
  tail -20 "$T/server.log"; echo "error: the engine out of memory made the server restart"; exit 1
fi
[ "$(sql -c "SELECT pg_postmaster_start_time()")" = "$started" ] && kill -0 $sleeper 2>/dev/null \
  && [ "$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)'")" = 1 ] \
  || { echo "error: another session did not survive the engine out of memory"; exit 1; }
sql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(600)'" >/dev/null
wait $sleeper 2>/dev/null || true
echo "tests/pg: dagloon.vergelijk equals dagloon compare for every proposal of rules/voorstellen (1,004 dossiers each); the engine out of memory ends one session, not the server"
