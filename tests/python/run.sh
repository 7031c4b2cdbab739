#!/bin/sh
# The Python module (tools/python) as an analyst installs it: a fresh venv over Debian's packages
# (/usr/bin/python3 -m venv --system-site-packages; pip --no-build-isolation, no registry), the module
# installed from the tree, pytest on tests/python against the command, and every notebook in
# tools/python/examples executed with jupyter nbconvert in the venv's own kernel.
# usage: sh tests/python/run.sh BUILD   (BUILD holds dagloon and libdagloon.so.0)
set -u
BUILD=${1:-build}
BUILD=$(cd "$BUILD" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL tests/python: $*"; exit 1; }

/usr/bin/python3 -m venv --system-site-packages "$T/venv" || fail "venv"
# from a copy: pip builds in the source folder (build/, dagloon.egg-info), which must stay clean
cp -r "$ROOT/tools/python" "$T/src" && rm -rf "$T/src/build" "$T/src"/*.egg-info
"$T/venv/bin/pip" install -q --no-index --no-build-isolation "$T/src" >"$T/pip.log" 2>&1 ||
  { cat "$T/pip.log"; fail "pip install"; }
export PYDEVD_DISABLE_FILE_VALIDATION=1 DAGLOON_LIB="$BUILD/libdagloon.so.0" DAGLOON_BIN="$BUILD/dagloon"
# from outside the tree, so that `import dagloon` is the installed package, not tools/python
(cd "$T" && "$T/venv/bin/python" -c 'import dagloon, sys; sys.exit("venv" not in dagloon.__file__)') ||
  fail "the installed module is not the one imported"
(cd "$T" && "$T/venv/bin/python" -m pytest -q -p no:cacheprovider --rootdir "$ROOT/tests/python" "$ROOT/tests/python") ||
  fail "pytest"

# the notebooks: a kernel of the venv's python (Debian's python3 kernel would not see the module)
"$T/venv/bin/python" -m ipykernel install --sys-prefix --name dagloon-test >/dev/null 2>&1 || fail "ipykernel install"
for nb in "$ROOT"/tools/python/examples/*.ipynb; do
  name=$(basename "$nb" .ipynb)
  "$T/venv/bin/python" -m nbconvert --execute --to notebook --ExecutePreprocessor.kernel_name=dagloon-test \
    --ExecutePreprocessor.timeout=300 --output-dir "$T/nb" --output "$name" "$nb" >"$T/nb.log" 2>&1 ||
    { cat "$T/nb.log"; fail "notebook $name did not run"; }
  # it ran: every code cell executed, none with an error, the last one with an output
  "$T/venv/bin/python" - "$T/nb/$name.ipynb" <<'PY' || fail "notebook $name: not every cell ran cleanly"
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
code = [c for c in nb.cells if c.cell_type == "code"]
assert code and all(c.execution_count for c in code), "a cell did not run"
assert not any(o.output_type == "error" for c in code for o in c.outputs), "a cell raised"
assert code[-1].outputs, "the last cell has no output"
PY
done
echo "tests/python: the module installed in a venv, pytest and $(ls "$ROOT"/tools/python/examples/*.ipynb | wc -l) notebook(s) green"
