/*
** features.c: placeholders until the queries arrive (features.h): every
** request answers "nothing here", so the server and its tests can be built.
*/
#include "features.h"

json_t *feat_hover(const Analysis *a, uint32_t file, uint32_t off, const LspSettings *s) {
  (void)a, (void)file, (void)off, (void)s;
  return json_null();
}
json_t *feat_definition(const Analysis *a, uint32_t file, uint32_t off) {
  (void)a, (void)file, (void)off;
  return json_array();
}
json_t *feat_references(const Analysis *a, uint32_t file, uint32_t off, bool include_decl) {
  (void)a, (void)file, (void)off, (void)include_decl;
  return json_array();
}
json_t *feat_prepare_rename(const Analysis *a, uint32_t file, uint32_t off) {
  (void)a, (void)file, (void)off;
  return json_null();
}
json_t *feat_rename(const Analysis *a, uint32_t file, uint32_t off, const char *new_name, char *err, size_t cap) {
  (void)a, (void)file, (void)off, (void)new_name;
  snprintf(err, cap, "rename is not available yet");
  return NULL;
}
json_t *feat_completion(const Analysis *a, const char *path, const char *text, uint32_t len, uint32_t off) {
  (void)a, (void)path, (void)text, (void)len, (void)off;
  return json_array();
}
json_t *feat_code_actions(const Analysis *a, uint32_t file, uint32_t off, uint32_t len) {
  (void)a, (void)file, (void)off, (void)len;
  return json_array();
}
json_t *feat_document_symbols(const Analysis *a, uint32_t file) {
  (void)a, (void)file;
  return json_array();
}
json_t *feat_semantic_legend(void) {
  return json_pack("{s:[],s:[]}", "tokenTypes", "tokenModifiers");
}
json_t *feat_semantic_tokens(const Analysis *a, uint32_t file) {
  (void)a, (void)file;
  return json_pack("{s:[]}", "data");
}
json_t *feat_case_definition(const Analysis *a, const char *text, uint32_t len, uint32_t off) {
  (void)a, (void)text, (void)len, (void)off;
  return json_array();
}
