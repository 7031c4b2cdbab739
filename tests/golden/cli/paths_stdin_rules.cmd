printf 'tabel t: geld per datum\n  dekking vanaf 2022-01-01 t/m 2024-12-31\n  uit "/dev/shm/tabel.csv"\n' | $BIN check /dev/stdin
