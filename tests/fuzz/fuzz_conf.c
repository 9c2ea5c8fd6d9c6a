/* tests/fuzz/fuzz_conf.c -- the configuration file (libconfuse syntax). */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf/conf.h"
#include "fuzz.h"

/*
 * The seeds name these files (conf wants absolute paths of readable files,
 * secrets mode 0600), so that a valid file loads and the fuzzer starts from
 * the SB_OK path.  Written, never removed: all runs write the same bytes.
 */
#define FUZZ_CONF_DIR	"/tmp/soabridge-fuzz"

/* conf_load reads a path: one temporary file, rewritten for each input. */
static char	path[64];
static int	fd = -1;

int	LLVMFuzzerInitialize(int *argc, char ***argv);

static void
put_file(const char *name, const char *text)
{
	FILE *f;

	if ((f = fopen(name, "w")) == NULL)
		abort();
	fputs(text, f);
	if (fchmod(fileno(f), 0600) == -1 || fclose(f) != 0)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (mkdir(FUZZ_CONF_DIR, 0700) == -1 && errno != EEXIST)
		abort();
	put_file(FUZZ_CONF_DIR "/secret", "not-a-real-secret\n");
	put_file(FUZZ_CONF_DIR "/ca.pem", "not a certificate\n");
	return 0;
}

static void
drop_file(void)
{
	if (fd != -1)
		unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL;
	struct conf_diag diag;
	size_t i;

	if (fd == -1) {
		snprintf(path, sizeof(path), "/tmp/fuzz_conf.XXXXXX");
		if ((fd = mkstemp(path)) == -1)
			abort();
		atexit(drop_file);
	}
	if (ftruncate(fd, 0) == -1 ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	memset(&diag, 0, sizeof(diag));
	if (conf_load(path, &c, &diag) == SB_OK) {
		FUZZ_CHECK(c != NULL);
		conf_free(c);
	} else {
		/* A refused file says why, each line naming the file. */
		FUZZ_CHECK(c == NULL);
		FUZZ_CHECK(diag.n > 0);
	}
	for (i = 0; i < diag.n; i++)
		FUZZ_CHECK(diag.lines[i] != NULL);
	conf_diag_free(&diag);
	return 0;
}
