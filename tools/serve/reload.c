/*
** reload.c: the reload thread (reload.h).
*/
#include "reload.h"

#include <stdio.h>
#include <stdlib.h>

static void *reload_loop(void *arg) {
  reloader *r = arg;
  pthread_mutex_lock(&r->lock);
  for (;;) {
    while (!r->asked && !r->stopping) pthread_cond_wait(&r->wake, &r->lock);
    if (r->stopping) break;
    r->asked = 0;   /* a SIGHUP from here on asks for the next reload */
    r->busy = 1;
    pthread_mutex_unlock(&r->lock);
    catalog_reload(r->cat);
    pthread_mutex_lock(&r->lock);
    r->busy = 0;
  }
  pthread_mutex_unlock(&r->lock);
  return NULL;
}

void reloader_start(reloader *r, catalog *cat) {
  r->cat = cat;
  r->asked = r->busy = r->stopping = 0;
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->wake, NULL);
  if (pthread_create(&r->thread, NULL, reload_loop, r) != 0) abort();
}

void reloader_ask(reloader *r) {
  pthread_mutex_lock(&r->lock);
  if (r->busy)
    fprintf(stderr, r->asked ? _("dagloon serve: SIGHUP during a reload: a reload after it is queued already\n")
                             : _("dagloon serve: SIGHUP during a reload: queued, another reload follows this one\n"));
  r->asked = 1;
  pthread_cond_signal(&r->wake);
  pthread_mutex_unlock(&r->lock);
}

void reloader_stop(reloader *r) {
  pthread_mutex_lock(&r->lock);
  r->stopping = 1;
  pthread_cond_signal(&r->wake);
  pthread_mutex_unlock(&r->lock);
  pthread_join(r->thread, NULL);
  pthread_mutex_destroy(&r->lock);
  pthread_cond_destroy(&r->wake);
}
