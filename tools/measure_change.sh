#!/bin/sh
# How many dossiers of a generated population (10,000 per rule set: rules/wia, rules/ww, rules/zw,
# eerste rechtdagen up to 2027-12-31, past the tables' horizon) change, and by how much, between
# two builds of the engine with their own rule sets -- per defect of issue 13 (past the horizon,
# a month of illness, a strike before 1-9-2017). Money exact (decimal), no floats.
#   sh tools/measure_change.sh OLD_TREE NEW_TREE [--n N] [--seed S] [--regeling wia|ww|zw]...
#                                                [--horizon DATE] [--out DIR] [--threads N]
# OLD_TREE and NEW_TREE are checkouts with build/dagloon built (make -j2 in each), e.g.
#   git clone /path/to/repo /tmp/old && git -C /tmp/old checkout BASE && make -C /tmp/old -j2
#   sh tools/measure_change.sh /tmp/old .
# The population comes from this tree's tools/gen_population.py (the same bytes for both builds);
# each build runs its own rules/. Report on standard output; populations, both outputs and
# DIR/REGELING/verschillen.csv (every changed dossier) in --out (default build/meting).
# Details: the header of tools/measure_change.py.
exec python3 "$(dirname "$0")/measure_change.py" "$@"
