/* abtc_jsonparse: a strict JSON parser producing json-c objects.
 *
 * json-c's tokener silently keeps the last of duplicate keys and accepts
 * some non-standard input; request bodies must be exact. This parser
 * implements RFC 8259 and rejects: duplicate keys in one object, "\u0000"
 * and raw control characters in strings, invalid UTF-8 (overlongs,
 * surrogates, > U+10FFFF) and lone surrogate escapes, nesting deeper than
 * max_depth, trailing garbage, a byte-order mark, NaN/Infinity, leading
 * zeros, comments, single quotes.
 *
 * Numbers: an integer literal that fits in int64 becomes json_type_int;
 * any other number (fraction, exponent, or an integer out of int64 range)
 * becomes json_type_double created with json_object_new_double_s() so the
 * original text is kept (validators then refuse it for integer fields
 * instead of saturating).
 */
#ifndef ABTC_JSONPARSE_H
#define ABTC_JSONPARSE_H

#include <apr_pools.h>
#include <json-c/json.h>

/* Parse len bytes. On success returns the root (any JSON value; a JSON
 * null yields a json_object* that is NULL with *err NULL — callers check
 * *err, not the pointer). The returned object is released by a cleanup on
 * pool p (json_object_put), callers never put it.
 * On failure returns NULL and sets *err to a short English message with
 * the byte offset, e.g. "duplicate key \"iban\" at offset 42",
 * "unexpected end of input at offset 10", "nesting deeper than 16". */
json_object *abtc_json_parse(apr_pool_t *p, const char *buf, apr_size_t len,
                             int max_depth, const char **err);

/* Copy len bytes of valid JSON text from src to dst without its
 * insignificant whitespace (what PostgreSQL's json_build_object puts
 * around ':' and ','), strings untouched; dst == src works in place.
 * Returns the length written (dst is not NUL-terminated). */
apr_size_t abtc_json_compact(char *dst, const char *src, apr_size_t len);

#endif
