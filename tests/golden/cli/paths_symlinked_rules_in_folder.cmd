B="$PWD/$BIN" && cd "$T" && mkdir set && printf 'invoer D { a: geheel }\nregel x: geheel = a\nuitvoer { x }\n' >set/a.rules && ln -s /etc/passwd set/b.rules && "$B" check set
