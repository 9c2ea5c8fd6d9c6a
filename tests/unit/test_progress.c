/*
 * Unit tests of agent/progress.c: the status line's text (reading,
 * writing with rate and ETA, cut to the terminal's width) and that nothing
 * is drawn when it is off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/progress.h"

static void
test_progress_reading_shows_objects_read(void **state)
{
	struct agent_progress_counts c = { 1234, 0, 0, 0 };
	char buf[128];

	(void)state;
	agent_progress_format(&c, 0, 80, buf, sizeof(buf));
	assert_string_equal(buf, "read 1234 objects");
	c.planned = 10;
	agent_progress_format(&c, 0, 80, buf, sizeof(buf));
	assert_string_equal(buf, "read 1234 objects, planning");
}

static void
test_progress_writing_shows_rate_and_eta(void **state)
{
	struct agent_progress_counts c = { 5000, 1000, 250, 1 };
	char buf[128];

	(void)state;
	/* 250 in 10 s: 25/s, 750 left: 30 s. */
	agent_progress_format(&c, 10.0, 80, buf, sizeof(buf));
	assert_string_equal(buf,
	    "read 5000, planned 1000, written 250/1000, 25/s, ETA 30s");
	/* Too early for a rate worth showing. */
	agent_progress_format(&c, 0.1, 80, buf, sizeof(buf));
	assert_string_equal(buf, "read 5000, planned 1000, written 250/1000");
}

static void
test_progress_line_never_wraps(void **state)
{
	struct agent_progress_counts c = { 5000, 1000, 250, 1 };
	char buf[128];

	(void)state;
	agent_progress_format(&c, 10.0, 21, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 20);
	assert_memory_equal(buf, "read 5000, planned 1", 20);
}

/* Off: the events draw nothing on stderr. */
static void
test_progress_off_writes_nothing(void **state)
{
	char path[] = "/tmp/sb-progress-XXXXXX";
	int fd, saved;
	long size;
	FILE *f;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	agent_progress_enable(0);
	agent_progress_read(10);
	agent_progress_written(1);
	agent_progress_clear();
	agent_progress_redraw();
	agent_progress_enable(1);
	agent_progress_read(10); /* the first event draws at once */
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	agent_progress_enable(0);
	f = fdopen(fd, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	unlink(path);
	/* Only what the enabled one drew: "\r\033[Kread 10 objects". */
	assert_int_equal(size, (long)strlen("\r\033[Kread 10 objects"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_progress_reading_shows_objects_read),
		cmocka_unit_test(test_progress_writing_shows_rate_and_eta),
		cmocka_unit_test(test_progress_line_never_wraps),
		cmocka_unit_test(test_progress_off_writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
