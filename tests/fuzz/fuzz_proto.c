/* libFuzzer target: the fib server's request parser, over one read's bytes. */
#include "proto.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	char out[PROTO_REPLY_MAX];

	while (size > 0) {
		struct proto_req req;
		size_t used = proto_next(buf, size, 40, &req), n;

		if (used == 0 || used > size)
			__builtin_trap();
		if (req.kind == PROTO_FIB && (req.n < 0 || req.n > 40))
			__builtin_trap();
		n = proto_reply(&req, req.kind == PROTO_FIB ? proto_fib(req.n) : 0, out,
		    sizeof out);
		if (n > 0 && (n >= sizeof out || out[n - 1] != '\n'))
			__builtin_trap();
		if (req.kind == PROTO_ERROR && strncmp(out, "error:", 6) != 0)
			__builtin_trap();
		buf += used;
		size -= used;
	}
	return 0;
}
