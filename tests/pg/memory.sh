# tests/pg/memory.sh: sourced by tests/pg/run.sh (sql, $T, the database rijen with wia and its
# 3,081 dossiers). The engine's memory is PostgreSQL's (tools/pg/memory.c): a backend that has not
# used the extension has no "dagloon" memory context; one that has, has it under
# TopMemoryContext, holding the loaded rule set; and evaluating thousands of dossiers does not
# grow it. AllocSet keeps what was freed for reuse, so the context holds the peak of one dossier:
# after 1 dossier and after 2 x 3,081 (bereken, bereken_alle) its total_bytes must be within 5/4;
# explanations peak higher (a trace and its JSON), so their check is 1 pass of 103 against 4 more.
# Run serially: each parallel worker is a backend with a context of its own, which this backend's
# view does not show.
CONTEXT="SELECT coalesce(sum(total_bytes), 0) || ' ' || count(*) FROM pg_backend_memory_contexts
  WHERE name = 'dagloon' AND parent = 'TopMemoryContext'"
UITLEG="SELECT count(dagloon.uitleg('wia', dossier)) FROM dossiers WHERE nr % 30 = 0"
sql -c "SET max_parallel_workers_per_gather = 0" -c "$CONTEXT" \
    -c "SELECT dagloon.bereken('wia', dossier) IS NOT NULL FROM dossiers WHERE nr = 1" -c "$CONTEXT" \
    -c "SELECT count(dagloon.bereken('wia', dossier)) FROM dossiers" \
    -c "SELECT count(*) FROM dagloon.bereken_alle(NULL::dagloon.wia, 'SELECT nr, dossier FROM dossiers')" -c "$CONTEXT" \
    -c "$UITLEG" -c "$CONTEXT" -c "$UITLEG" -c "$UITLEG" -c "$UITLEG" -c "$UITLEG" -c "$CONTEXT" > "$T/memory.txt"
{ read -r before; read -r one; read -r one_bytes one_n; read -r rows; read -r typed; read -r all_bytes all_n
  read -r explained; read -r x1_bytes x1_n; read -r _; read -r _; read -r _; read -r _; read -r x5_bytes x5_n; } < "$T/memory.txt"
[ "$before" = "0 0" ] || { cat "$T/memory.txt"; echo "error: a \"dagloon\" memory context before the extension was used"; exit 1; }
[ "$one" = t ] && [ "$one_n$all_n$x1_n$x5_n" = 1111 ] && [ "$rows" = 3081 ] && [ "$typed" = 3081 ] && [ "$explained" = 102 ] \
  || { cat "$T/memory.txt"; echo "error: no \"dagloon\" memory context under TopMemoryContext, or rows missing"
       cmp -s "$BUILD/pg/dagloon.so" "$(pg_config --pkglibdir)/dagloon.so" || echo "(the installed dagloon.so is not $BUILD/pg's: installed since by another make pg-install?)"
       exit 1; }
# the rule set is in it (the compiled wia takes megabytes), and thousands of dossiers later it has not grown
[ "$one_bytes" -gt 1000000 ] || { cat "$T/memory.txt"; echo "error: the engine's rule set is not in the \"dagloon\" context"; exit 1; }
[ "$all_bytes" -le $((one_bytes * 5 / 4)) ] \
  || { cat "$T/memory.txt"; echo "error: the \"dagloon\" context grew from $one_bytes to $all_bytes bytes over 6,162 rows"; exit 1; }
[ "$x5_bytes" -le $((x1_bytes * 5 / 4)) ] \
  || { cat "$T/memory.txt"; echo "error: the \"dagloon\" context grew from $x1_bytes to $x5_bytes bytes over 408 explanations"; exit 1; }
echo "tests/pg: the engine's memory in the \"dagloon\" context: $one_bytes bytes after 1 dossier, $all_bytes after 6,163; explaining $x1_bytes after 102, $x5_bytes after 510"
