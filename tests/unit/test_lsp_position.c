/* LSP positions (UTF-16 units, lines from 0) and file URIs against bytes and paths: tools/lsp/position.c. */
#include <criterion/criterion.h>
#include <string.h>
#include "tools/lsp/position.h"

static const char TEXT[] = "regel a: geld\r\n  = \xe2\x82\xac 5 -- \xf0\x9f\x98\x80 x\nlaatste";

Test(lsp_position, offsets_count_utf16_units) {
  uint32_t n = (uint32_t)strlen(TEXT);
  cr_assert_eq(lsp_offset_of(TEXT, n, 0, 0), 0);
  cr_assert_eq(lsp_offset_of(TEXT, n, 0, 99), 13);            /* before \r\n */
  cr_assert_eq(lsp_offset_of(TEXT, n, 1, 4), 19);             /* the euro sign: 3 bytes, 1 unit */
  cr_assert_eq(lsp_offset_of(TEXT, n, 1, 5), 22);
  cr_assert_eq(lsp_offset_of(TEXT, n, 1, 11), 28);            /* the emoji: 4 bytes, 2 units */
  cr_assert_eq(lsp_offset_of(TEXT, n, 1, 13), 32);
  cr_assert_eq(lsp_offset_of(TEXT, n, 2, 3), 38);
  cr_assert_eq(lsp_offset_of(TEXT, n, 9, 0), n);
  uint32_t line, ch;
  lsp_position_of(TEXT, n, 32, &line, &ch);
  cr_assert(line == 1 && ch == 13);
  lsp_position_of(TEXT, n, 30, &line, &ch);                   /* inside the emoji: its start */
  cr_assert(line == 1 && ch == 11, "%u:%u", line, ch);
  lsp_position_of(TEXT, n, 38, &line, &ch);
  cr_assert(line == 2 && ch == 3);
}

Test(lsp_position, invalid_utf8_is_one_unit_per_byte) {
  const char bad[] = "a\xff\xc3(b";
  cr_assert_eq(lsp_offset_of(bad, 5, 0, 3), 3);
  uint32_t line, ch;
  lsp_position_of(bad, 5, 4, &line, &ch);
  cr_assert_eq(ch, 4);
}

Test(lsp_position, uris_round_trip_and_refuse_others) {
  char *u = lsp_uri_from_path("/tmp/regels met spatie/a%b.rules");
  cr_assert_str_eq(u, "file:///tmp/regels%20met%20spatie/a%25b.rules");
  char *p = lsp_path_from_uri(u);
  cr_assert_str_eq(p, "/tmp/regels met spatie/a%b.rules");
  free(u), free(p);
  p = lsp_path_from_uri("file://localhost/x/y");
  cr_assert_str_eq(p, "/x/y");
  free(p);
  cr_assert_null(lsp_path_from_uri("http://x/y"));
  cr_assert_null(lsp_path_from_uri("file:///a%00b"));
  cr_assert_null(lsp_path_from_uri("file:///a%zz"));
  cr_assert_null(lsp_path_from_uri("file://otherhost/a"));
}
