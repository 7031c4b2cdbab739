B="$PWD/$BIN" && cd "$T" && mkfifo pijp.csv && printf 'tabel t: geld per datum\n  dekking vanaf 2022-01-01 t/m 2024-12-31\n  uit "pijp.csv"\n' >r.rules && timeout 10 "$B" check r.rules
