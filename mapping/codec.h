/*
 * Codecs for AD anchors: base64, objectGUID text, objectSid text and RID,
 * immutableId.  Every function takes bytes plus a length (a GUID or SID may
 * hold zero bytes) and checks lengths before reading.  Pure: libc only.
 */
#ifndef MAP_CODEC_H
#define MAP_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"

#define MAP_GUID_LEN		16
#define MAP_GUID_TEXT_SIZE	37	/* 36 characters and the NUL */
#define MAP_SID_MAX_SUBAUTH	15	/* MS-DTYP 2.4.2 */
#define MAP_SID_MAX_LEN		(8 + 4 * MAP_SID_MAX_SUBAUTH)
/* "S-1-" + 0x + 12 hex digits + 15 * ("-" + 10 digits) + NUL, rounded up. */
#define MAP_SID_TEXT_SIZE	192
/* Cap on what base64 will encode or decode: anchors and values, not files. */
#define MAP_BASE64_MAX		((size_t)16 * 1024 * 1024)

/* A SID taken apart; sub[0 .. count-1] are valid. */
struct map_sid {
	uint8_t		revision;
	uint8_t		count;
	uint64_t	authority;	/* 48 bits */
	uint32_t	sub[MAP_SID_MAX_SUBAUTH];
};

/*
 * Standard alphabet with padding.  *out is a new NUL-terminated string the
 * caller frees with free().
 */
enum sb_status	map_base64_encode(const void *p, size_t len, char **out,
		    struct sb_error *err);
/*
 * Strict decode of slen characters: length a multiple of 4, only the standard
 * alphabet, '=' only as the final one or two characters, zero pad bits.
 * Anything else is SB_SKIP.  out is filled (caller frees with sb_bytes_free)
 * only on success.
 */
enum sb_status	map_base64_decode(const char *s, size_t slen,
		    struct sb_bytes *out, struct sb_error *err);

/*
 * objectGUID bytes (len must be 16) to the canonical lower-case text
 * "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx": the first three fields are read
 * little-endian, the last eight bytes as they are.  outsz >= MAP_GUID_TEXT_SIZE.
 */
enum sb_status	map_guid_to_text(const void *p, size_t len, char *out,
		    size_t outsz, struct sb_error *err);
/* The reverse; braces around the text are optional, hex any case. */
enum sb_status	map_guid_from_text(const char *s,
		    unsigned char out[MAP_GUID_LEN], struct sb_error *err);

/* Binary SID: revision 1, count <= 15, len == 8 + 4 * count, else SB_SKIP. */
enum sb_status	map_sid_parse(const void *p, size_t len, struct map_sid *out,
		    struct sb_error *err);
/* "S-1-5-21-...": the authority in decimal below 2^32, else 0x + 12 hex digits. */
enum sb_status	map_sid_to_text(const void *p, size_t len, char *out,
		    size_t outsz, struct sb_error *err);
/* Text to binary; out is filled (caller frees with sb_bytes_free) on success. */
enum sb_status	map_sid_from_text(const char *s, struct sb_bytes *out,
		    struct sb_error *err);
/* The last sub-authority; a SID without sub-authorities has no RID. */
enum sb_status	map_sid_rid(const void *p, size_t len, uint32_t *rid,
		    struct sb_error *err);

/* onPremisesImmutableId from 16 anchor bytes; *out as for map_base64_encode. */
enum sb_status	map_immutable_id_from_guid(const void *p, size_t len,
		    char **out, struct sb_error *err);
/* onPremisesImmutableId to 16 bytes; not base64 or not 16 bytes is SB_SKIP. */
enum sb_status	map_immutable_id_to_guid(const char *s,
		    unsigned char out[MAP_GUID_LEN], struct sb_error *err);

#endif
