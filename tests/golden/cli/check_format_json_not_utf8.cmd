B=$BIN; case $B in /*) ;; *) B=$PWD/$B ;; esac; printf 'regel a: geheel = 1\nregel a: geheel = 2 \377\n' >"$T/d$(printf '\377')m.rules" && cd "$T" && "$B" check --format json d*m.rules
