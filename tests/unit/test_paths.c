/*
** test_paths.c: path_normalise (lang/source.h), the names of rule files in
** messages: '.' and '..' worked out lexically, relative paths kept relative.
*/
#include <criterion/criterion.h>
#include <stdlib.h>

#include "lang/source.h"

static void expect(const char *in, const char *want) {
  char *got = path_normalise(in);
  cr_assert_str_eq(got, want, "path_normalise(\"%s\")", in);
  free(got);
}

Test(paths, normalise) {
  expect("rules/voorstellen/x/../../wia/deler.rules", "rules/wia/deler.rules");
  expect("./rules//wia/", "rules/wia");
  expect("../x/./y", "../x/y");
  expect("a/../../b", "../b");
  expect("../../a", "../../a");
  expect("a/..", ".");
  expect("/a/../../b", "/b");
  expect("/", "/");
  expect("deler.rules", "deler.rules");
}
