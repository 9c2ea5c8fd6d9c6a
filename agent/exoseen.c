/* The (mailbox, WhenChangedUTC) pairs a finished cycle took in. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/exoseen.h"

/* n digits of s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
agent_exo_parse_time(const char *s, time_t *out)
{
	int y, mo, d, h, mi, sec, oh, om, sign;
	const char *p;

	if (s == NULL || strlen(s) < 19 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return 0;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 ||
	    h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return 0;
	p = s + 19;
	if (*p == '.') /* fractions: WhenChangedUTC has none we need */
		for (p++; isdigit((unsigned char)*p); p++)
			;
	oh = om = 0;
	sign = 1;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		oh = digits(p + 1, 2);
		om = p[3] == ':' ? digits(p + 4, 2) : -1;
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return 0;
		p += 6;
	}
	if (*p != '\0')
		return 0;
	*out = (time_t)(days_from_civil(y, mo, d) * 86400LL + h * 3600LL +
	    mi * 60LL + sec - sign * (oh * 3600LL + om * 60LL));
	return 1;
}

int
agent_exo_seen_has(const struct agent_exo_seen *s, const char *id, time_t when)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].when == when && strcasecmp(s->v[i].id, id) == 0)
			return 1;
	return 0;
}

enum sb_status
agent_exo_seen_add(struct agent_exo_seen *s, const char *id, time_t when,
    struct sb_error *err)
{
	struct agent_exo_seen_entry *v;
	size_t cap;
	char *copy;

	if (agent_exo_seen_has(s, id, when))
		return SB_OK;
	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 2 : 16;
		v = realloc(s->v, cap * sizeof(*v));
		if (v == NULL)
			return sb_fail(err, SB_BUG, 0, "exo.seen",
			    "out of memory");
		s->v = v;
		s->cap = cap;
	}
	if ((copy = strdup(id)) == NULL)
		return sb_fail(err, SB_BUG, 0, "exo.seen", "out of memory");
	s->v[s->n].id = copy;
	s->v[s->n].when = when;
	s->n++;
	return SB_OK;
}

void
agent_exo_seen_prune(struct agent_exo_seen *s, time_t t)
{
	size_t i, k = 0;

	for (i = 0; i < s->n; i++) {
		if (s->v[i].when < t)
			free(s->v[i].id);
		else
			s->v[k++] = s->v[i];
	}
	s->n = k;
}

void
agent_exo_seen_free(struct agent_exo_seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].id);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
