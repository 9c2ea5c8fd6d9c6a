/* Unit tests of mapping/codec.c: base64, objectGUID, objectSid, immutableId. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapping/codec.h"

static const unsigned char guid_bytes[16] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10
};

static void
test_codec_base64_encodes_rfc4648_vectors(void **state)
{
	static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba",
	    "foobar" };
	static const char *want[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	    "Zm9vYmE=", "Zm9vYmFy" };
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_int_equal(map_base64_encode(in[i], strlen(in[i]), &s,
		    NULL), SB_OK);
		assert_string_equal(s, want[i]);
		free(s);
	}
}

static void
test_codec_base64_round_trips_binary_with_zero_bytes(void **state)
{
	unsigned char bin[256];
	struct sb_bytes out = { 0 };
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)i;
	assert_int_equal(map_base64_encode(bin, sizeof(bin), &s, NULL), SB_OK);
	assert_int_equal(map_base64_decode(s, strlen(s), &out, NULL), SB_OK);
	assert_int_equal(out.len, sizeof(bin));
	assert_memory_equal(out.p, bin, sizeof(bin));
	sb_bytes_free(&out);
	free(s);
}

static void
test_codec_base64_decode_rejects_bad_input(void **state)
{
	static const char *bad[] = { "Zg=", "Zg", "Z===", "Zm9v!A==",
	    "Zm 9", "=Zm9", "Zm=v", "Zh==", "Zm9=Zm9v", "Zm9vYg=\n" };
	struct sb_bytes out = { 0 };
	struct sb_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(map_base64_decode(bad[i], strlen(bad[i]),
		    &out, &err), SB_SKIP);
		assert_null(out.p);
	}
}

static void
test_codec_guid_text_reads_first_three_fields_little_endian(void **state)
{
	char text[MAP_GUID_TEXT_SIZE];

	(void)state;
	assert_int_equal(map_guid_to_text(guid_bytes, 16, text, sizeof(text),
	    NULL), SB_OK);
	assert_string_equal(text, "04030201-0605-0807-090a-0b0c0d0e0f10");
}

static void
test_codec_guid_parses_with_or_without_braces_any_case(void **state)
{
	unsigned char g[16];

	(void)state;
	assert_int_equal(map_guid_from_text(
	    "04030201-0605-0807-090a-0b0c0d0e0f10", g, NULL), SB_OK);
	assert_memory_equal(g, guid_bytes, 16);
	memset(g, 0, sizeof(g));
	assert_int_equal(map_guid_from_text(
	    "{04030201-0605-0807-090A-0B0C0D0E0F10}", g, NULL), SB_OK);
	assert_memory_equal(g, guid_bytes, 16);
}

static void
test_codec_guid_rejects_wrong_lengths_and_malformed_text(void **state)
{
	unsigned char g[16];
	char text[MAP_GUID_TEXT_SIZE];

	(void)state;
	assert_int_equal(map_guid_to_text(guid_bytes, 15, text, sizeof(text),
	    NULL), SB_SKIP);
	assert_int_equal(map_guid_to_text(guid_bytes, 16, text, 36, NULL),
	    SB_BUG);
	assert_int_equal(map_guid_from_text(
	    "04030201-0605-0807-090a-0b0c0d0e0f1", g, NULL), SB_SKIP);
	assert_int_equal(map_guid_from_text(
	    "04030201x0605-0807-090a-0b0c0d0e0f10", g, NULL), SB_SKIP);
	assert_int_equal(map_guid_from_text(
	    "{04030201-0605-0807-090a-0b0c0d0e0f10", g, NULL), SB_SKIP);
	assert_int_equal(map_guid_from_text(
	    "0403020g-0605-0807-090a-0b0c0d0e0f10", g, NULL), SB_SKIP);
}

static void
test_codec_sid_round_trips_a_domain_user_sid(void **state)
{
	const char *text = "S-1-5-21-1111111111-2222222222-3333333333-1105";
	static const unsigned char want[28] = {
		0x01, 0x05, 0, 0, 0, 0, 0, 0x05,
		0x15, 0, 0, 0,			/* 21 */
		0xc7, 0x35, 0x3a, 0x42,		/* 1111111111 */
		0x8e, 0x6b, 0x74, 0x84,		/* 2222222222 */
		0x55, 0xa1, 0xae, 0xc6,		/* 3333333333 */
		0x51, 0x04, 0, 0,		/* 1105 */
	};
	struct sb_bytes b = { 0 };
	char out[MAP_SID_TEXT_SIZE];
	uint32_t rid = 0;

	(void)state;
	assert_int_equal(map_sid_from_text(text, &b, NULL), SB_OK);
	assert_int_equal(b.len, 28);
	assert_memory_equal(b.p, want, 28);
	assert_int_equal(map_sid_to_text(b.p, b.len, out, sizeof(out), NULL),
	    SB_OK);
	assert_string_equal(out, text);
	assert_int_equal(map_sid_rid(b.p, b.len, &rid, NULL), SB_OK);
	assert_int_equal(rid, 1105);
	sb_bytes_free(&b);
}

static void
test_codec_sid_prints_builtin_and_large_authorities(void **state)
{
	static const unsigned char builtin[16] = {
		1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0
	};
	static const unsigned char big[8] = { 1, 0, 1, 2, 3, 4, 5, 6 };
	char out[MAP_SID_TEXT_SIZE];
	struct sb_bytes b = { 0 };

	(void)state;
	assert_int_equal(map_sid_to_text(builtin, 16, out, sizeof(out), NULL),
	    SB_OK);
	assert_string_equal(out, "S-1-5-32-544");
	assert_int_equal(map_sid_to_text(big, 8, out, sizeof(out), NULL),
	    SB_OK);
	assert_string_equal(out, "S-1-0x010203040506");
	assert_int_equal(map_sid_from_text(out, &b, NULL), SB_OK);
	assert_memory_equal(b.p, big, 8);
	sb_bytes_free(&b);
}

static void
test_codec_sid_rejects_malformed_lengths(void **state)
{
	unsigned char b[80];
	char out[MAP_SID_TEXT_SIZE];
	struct map_sid sid;
	uint32_t rid;

	(void)state;
	memset(b, 0, sizeof(b));
	b[0] = 1;
	b[1] = 2;
	b[7] = 5;
	/* count 2 needs exactly 16 bytes */
	assert_int_equal(map_sid_parse(b, 15, &sid, NULL), SB_SKIP);
	assert_int_equal(map_sid_parse(b, 17, &sid, NULL), SB_SKIP);
	assert_int_equal(map_sid_parse(b, 16, &sid, NULL), SB_OK);
	assert_int_equal(map_sid_parse(b, 7, &sid, NULL), SB_SKIP);
	b[1] = 16;	/* more than 15 sub-authorities */
	assert_int_equal(map_sid_parse(b, 8 + 4 * 16, &sid, NULL), SB_SKIP);
	b[1] = 2;
	b[0] = 2;	/* revision */
	assert_int_equal(map_sid_to_text(b, 16, out, sizeof(out), NULL),
	    SB_SKIP);
	b[0] = 1;
	b[1] = 0;
	assert_int_equal(map_sid_rid(b, 8, &rid, NULL), SB_SKIP);
}

static void
test_codec_sid_text_rejects_garbage(void **state)
{
	static const char *bad[] = { "", "S-1", "S-2-5-21", "S-1-5-",
	    "S-1-5-21-", "X-1-5-21", "S-1-5-21-4294967296", "S-1-5-21-1x",
	    "S-1-281474976710656",
	    "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16" };
	struct sb_bytes b = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(map_sid_from_text(bad[i], &b, NULL), SB_SKIP);
		assert_null(b.p);
	}
	assert_int_equal(map_sid_from_text("S-1-5", &b, NULL), SB_OK);
	assert_int_equal(b.len, 8);
	sb_bytes_free(&b);
}

static void
test_codec_immutable_id_is_base64_of_the_sixteen_bytes(void **state)
{
	unsigned char g[16];
	char *s = NULL;

	(void)state;
	assert_int_equal(map_immutable_id_from_guid(guid_bytes, 16, &s, NULL),
	    SB_OK);
	assert_string_equal(s, "AQIDBAUGBwgJCgsMDQ4PEA==");
	assert_int_equal(map_immutable_id_to_guid(s, g, NULL), SB_OK);
	assert_memory_equal(g, guid_bytes, 16);
	free(s);
	assert_int_equal(map_immutable_id_from_guid(guid_bytes, 15, &s, NULL),
	    SB_SKIP);
	/* base64 of 15 bytes, and not base64 at all */
	assert_int_equal(map_immutable_id_to_guid("AQIDBAUGBwgJCgsMDQ4P", g,
	    NULL), SB_SKIP);
	assert_int_equal(map_immutable_id_to_guid("ann@corp.example", g, NULL),
	    SB_SKIP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec_base64_encodes_rfc4648_vectors),
		cmocka_unit_test(test_codec_base64_round_trips_binary_with_zero_bytes),
		cmocka_unit_test(test_codec_base64_decode_rejects_bad_input),
		cmocka_unit_test(test_codec_guid_text_reads_first_three_fields_little_endian),
		cmocka_unit_test(test_codec_guid_parses_with_or_without_braces_any_case),
		cmocka_unit_test(test_codec_guid_rejects_wrong_lengths_and_malformed_text),
		cmocka_unit_test(test_codec_sid_round_trips_a_domain_user_sid),
		cmocka_unit_test(test_codec_sid_prints_builtin_and_large_authorities),
		cmocka_unit_test(test_codec_sid_rejects_malformed_lengths),
		cmocka_unit_test(test_codec_sid_text_rejects_garbage),
		cmocka_unit_test(test_codec_immutable_id_is_base64_of_the_sixteen_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
