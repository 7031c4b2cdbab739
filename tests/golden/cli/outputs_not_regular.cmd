# an output that is not a regular file is written directly, never renamed over (a FIFO stays a FIFO)
BIN=$(realpath "$BIN")
cp tests/golden/run/geval_ranges/rules.rules "$T" && cd "$T" && mkfifo pipe
timeout 10 cat pipe >got.dlb &
timeout 10 $BIN compile rules.rules -o pipe; echo "compile into a FIFO: exit $?"
wait
test -p pipe && echo "pipe is still a FIFO"
$BIN compile rules.rules -o file.dlb 2>/dev/null && cmp got.dlb file.dlb && echo "the bundle came through the FIFO"
ln -s /dev/null null   # a link: written the old way (renamed over), the link is replaced, never /dev/null
$BIN compile rules.rules -o null; echo "compile to /dev/null: exit $?"
test -L null && test -c null && echo "null still links to a character device"
