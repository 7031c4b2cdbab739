/*
** jansson_bind.c: jansson's json_object for the engine inside the server. The postgres
** executable exports a json_object of its own (the SQL function's C entry), and the dynamic
** linker binds a module's references to the executable first: libdagloon's calls of jansson's
** json_object would land in PostgreSQL's (a crash). dagloon.so is linked with
** --wrap=json_object, so those calls come here, and here jansson's own is looked up in
** libjansson itself. (jansson's calls inside libjansson are bound within it already.)
** tests/pg/run.sh checks that no other symbol libdagloon needs is one the server defines.
*/
#include "dagloon_pg.h"

#include <dlfcn.h>

void *__wrap_json_object(void);

void *__wrap_json_object(void) {
  static void *(*jansson_object)(void);
  if (!jansson_object) {
    void *lib = dlopen("libjansson.so.4", RTLD_NOW | RTLD_NOLOAD);
    if (lib) jansson_object = (void *(*)(void))dlsym(lib, "json_object");
    if (!jansson_object) elog(FATAL, "dagloon: jansson's json_object not found: %s", dlerror());
  }
  return jansson_object();
}
