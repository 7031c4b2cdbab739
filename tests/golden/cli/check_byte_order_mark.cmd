printf '\357\273\277invoer D sleutel id { id: tekst }\nuitvoer { id }\n' >"$T/bom.rules"; $BIN check "$T/bom.rules" >"$T/out" 2>&1; st=$?; sed "s|$T/||" "$T/out"; exit $st
