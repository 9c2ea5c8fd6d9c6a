/* tests/fuzz/fuzz.h -- helpers shared by the libFuzzer harnesses. */
#ifndef SB_FUZZ_H
#define SB_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input as a new NUL-terminated string: parsers that take a length must
 * not read past it, and ASan sees if one does, since the copy is exact.
 */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A broken invariant: a crash that libFuzzer records with its input. */
#define FUZZ_CHECK(cond)	do { if (!(cond)) abort(); } while (0)

#endif
