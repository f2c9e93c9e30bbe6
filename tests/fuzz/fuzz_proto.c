/* libFuzzer target: the fib server's request framing, over the bytes of a
 * few reads (the first byte of the input chooses where reads end). */
#include "proto.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct proto_framer f;
	char out[PROTO_REPLY_MAX];
	size_t step;

	if (size == 0)
		return 0;
	step = (size_t)data[0] * 17 + 1;	/* 1 .. 4,336 bytes a read */
	data++;
	size--;
	proto_framer_init(&f);
	while (size > 0) {
		struct proto_req req;
		size_t cap, k;
		char *space = proto_framer_space(&f, &cap);

		k = step < cap ? step : cap;
		k = k < size ? k : size;
		memcpy(space, data, k);
		proto_framer_feed(&f, k);
		data += k;
		size -= k;
		while (proto_framer_next(&f, 40, &req)) {
			size_t n;

			if (req.kind == PROTO_NONE)
				__builtin_trap();
			if (req.kind == PROTO_FIB && (req.n < 0 || req.n > 40))
				__builtin_trap();
			n = proto_reply(&req, req.kind == PROTO_FIB ? proto_fib(req.n) : 0,
			    out, sizeof out);
			if (n == 0 || n >= sizeof out || out[n - 1] != '\n')
				__builtin_trap();
			if (req.kind == PROTO_ERROR && strncmp(out, "error:", 6) != 0)
				__builtin_trap();
		}
		if (!proto_framer_drained(&f) || f.line_len > PROTO_LINE_MAX)
			__builtin_trap();
	}
	return 0;
}
