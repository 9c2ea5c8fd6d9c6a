/* tests/fuzz/fuzz_dn.c -- DN parsing, normalising and value escaping. */
#include <stdio.h>
#include <stdlib.h>

#include "mapping/dn.h"
#include "fuzz.h"

/*
 * Escapes value v, puts it in "CN=<v>,DC=example" and parses that again:
 * the one AVA of the first RDN must hold exactly v.  A value the escaper
 * refuses is not a finding; one it accepts must survive the trip.  An
 * empty value is left out: map_dn_parse refuses "CN=" by design.
 */
static void
round_trip(const void *p, size_t len)
{
	struct sb_error err;
	struct map_dn *dn = NULL;
	char *esc = NULL, *text;
	size_t tlen;

	if (len == 0)
		return;
	memset(&err, 0, sizeof(err));
	if (map_dn_escape_value(p, len, &esc, &err) != SB_OK)
		return;
	/* The escaped form is text: no NUL inside, so a C string holds it. */
	FUZZ_CHECK(esc != NULL);
	tlen = strlen(esc) + sizeof("CN=,DC=example");
	if ((text = malloc(tlen)) == NULL)
		abort();
	snprintf(text, tlen, "CN=%s,DC=example", esc);
	if (tlen - 1 <= MAP_DN_MAX) {
		FUZZ_CHECK(map_dn_parse(text, &dn, &err) == SB_OK);
		FUZZ_CHECK(dn->nrdns == 2 && dn->rdns[0].navas == 1);
		FUZZ_CHECK(dn->rdns[0].avas[0].value.len == len);
		FUZZ_CHECK(len == 0 ||
		    memcmp(dn->rdns[0].avas[0].value.p, p, len) == 0);
		FUZZ_CHECK(map_dn_valid(text));
		map_dn_free(dn);
	}
	free(text);
	free(esc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sb_error err;
	struct map_dn *dn = NULL;
	char *s, *norm = NULL, *norm2 = NULL, *parent = NULL, *rdn = NULL;
	size_t i, j;

	round_trip(data, size);

	s = fuzz_cstr(data, size);
	memset(&err, 0, sizeof(err));
	if (map_dn_parse(s, &dn, &err) == SB_OK) {
		/* Every parsed value escapes and parses back to itself. */
		for (i = 0; i < dn->nrdns; i++)
			for (j = 0; j < dn->rdns[i].navas; j++)
				round_trip(dn->rdns[i].avas[j].value.p,
				    dn->rdns[i].avas[j].value.len);
		map_dn_free(dn);
	}
	if (map_dn_normalize(s, &norm, &err) == SB_OK) {
		/* The canonical form is a fixed point and names the same. */
		FUZZ_CHECK(map_dn_normalize(norm, &norm2, &err) == SB_OK);
		FUZZ_CHECK(strcmp(norm, norm2) == 0);
		FUZZ_CHECK(map_dn_equal(s, norm));
		FUZZ_CHECK(map_dn_is_under(s, norm));
		if (map_dn_parent(s, &parent, &err) == SB_OK &&
		    parent != NULL && *parent != '\0')
			FUZZ_CHECK(map_dn_is_under(s, parent));
		(void)map_dn_rdn(s, &rdn, &err);
		(void)map_dn_depth(s);
	}
	free(rdn);
	free(parent);
	free(norm2);
	free(norm);
	free(s);
	return 0;
}
