/*
 * JSON helpers shared by graph.c and exo.c: load a response, walk a page,
 * turn property values into dirobj attributes.  Includes jansson.h, so only
 * cloud/ may include it: json_t never leaves cloud/.
 */
#ifndef SB_CLOUD_JSON_H
#define SB_CLOUD_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "mapping/dirobj.h"
#include "errmap.h"

/* Longest attribute name, dotted path of a flattened object included. */
#define CLOUD_JSON_NAME_MAX	256
/* Deepest nesting flattened into dotted names. */
#define CLOUD_JSON_DEPTH_MAX	8

/* Parses body as a JSON object; *out is a new reference the caller decrefs. */
enum sb_status	cloud_json_load(const struct cloud_errctx *x, const char *body,
		    size_t len, json_t **out, struct sb_error *err);

/*
 * A page {"value":[...],"@odata.nextLink":"..."}: *value is borrowed from
 * root; *next_link is a copy (caller frees) or NULL on the last page.
 */
enum sb_status	cloud_json_page(const struct cloud_errctx *x, json_t *root,
		    json_t **value, char **next_link, struct sb_error *err);

/*
 * One object of a page into *out (a new dirobj, or NULL to skip it).
 * index is its place in the page, for error messages.
 */
typedef enum sb_status (*cloud_json_item_fn)(const struct cloud_errctx *x,
		    json_t *item, size_t index, void *arg, struct dirobj **out,
		    struct sb_error *err);

/*
 * A listing page: parses body, converts each object of "value" with fn and
 * appends them to out, the whole page or nothing; *next_link as
 * cloud_json_page gives it.  An object whose property names would merge
 * into one attribute (cloud_json_distinct) is refused before fn sees it:
 * the page is malformed.
 */
enum sb_status	cloud_json_listing(const struct cloud_errctx *x, const char *body,
		    size_t len, cloud_json_item_fn fn, void *arg,
		    struct dirset *out, char **next_link, struct sb_error *err);

/*
 * Adds property value v as attribute name of o: null, "" and [] make the
 * attribute present with no values; a string one value; a collection one
 * value per element (objects in it as compact JSON); booleans "true" and
 * "false"; numbers as text; an object is flattened into "name.key"
 * attributes.  Keys starting with '@' are skipped at every level.
 */
enum sb_status	cloud_json_attr(const struct cloud_errctx *x, struct dirobj *o,
		    const char *name, json_t *v, struct sb_error *err);

/*
 * Attribute names compare case-insensitively (dirobj.h) and nested objects
 * become dotted names, so {"jobTitle":"a","JobTitle":"b"} or
 * {"a.b":1,"a":{"b":2}} would merge two properties into one attribute.  No
 * service sends that; such an object is malformed: SB_RETRY naming the
 * object (index, its "id" or ExternalDirectoryObjectId) and both keys.
 * Keys holding '@' (annotations) are left out, as cloud_json_attr does.
 */
enum sb_status	cloud_json_distinct(const struct cloud_errctx *x,
		    json_t *obj, size_t index, struct sb_error *err);

/* Copies obj[key] (string, null or absent -> NULL) into *field. */
enum sb_status	cloud_json_str(const struct cloud_errctx *x, json_t *obj,
		    const char *key, char **field, struct sb_error *err);

/* obj[key] as a tri-state: true, false, null or absent (UNSET). */
enum sb_status	cloud_json_tri(const struct cloud_errctx *x, json_t *obj,
		    const char *key, enum sb_tri *out, struct sb_error *err);

#endif
