/*
** reload.h: SIGHUP's reload, done by a thread of its own. The thread that takes the signals
** (serve_run's sigwait: no signal handler runs any of this) only asks; the reload thread
** compiles the rule sets (catalog_reload) while the server goes on answering with the current
** generation.
*/
#ifndef DAGLOON_SERVE_RELOAD_H
#define DAGLOON_SERVE_RELOAD_H

#include <pthread.h>
#include "catalog.h"

typedef struct reloader {
  catalog *cat;
  pthread_t thread;
  pthread_mutex_t lock;   /* guards asked, busy and stopping */
  pthread_cond_t wake;
  int asked;              /* a SIGHUP not yet taken up */
  int busy;               /* a reload under way */
  int stopping;
} reloader;

void reloader_start(reloader *r, catalog *cat);
/*
** Asks for a reload. During one, the request is queued: one more reload follows the current
** one and reads the files as they are then, so SIGHUPs that arrive during a reload are served
** by one reload after it, never lost.
*/
void reloader_ask(reloader *r);
/* Waits for the reload under way (if any) to end, drops a queued one, and ends the thread. */
void reloader_stop(reloader *r);

#endif
