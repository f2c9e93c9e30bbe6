/*
 * server: server_run, the one place that knows which mode runs how.  The
 * modes sit below it and the core below them (see server_int.h).
 */
#include "server_int.h"

int
server_run(struct server *s)
{
	switch (s->o.mode) {
	case SERVER_EVLOOP:
	case SERVER_EVLOOP_POOL:
		return server_evloop_run(s);
	default:
		return server_blocking_run(s);
	}
}
