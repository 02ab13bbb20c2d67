/* abtc_query: our own query-string parser.
 *
 * httpd's ap_args_to_table() leaves '+' undecoded, keeps only the last of
 * repeated names and lets %00 through; a search API needs none of that.
 * Here %XX is decoded, '+' is a space (form encoding, what clients send
 * for "2022-08-04 15:01:00.000"), %2B is a plus, repeated names are all
 * kept in order, and anything malformed is an error the caller turns into
 * a 400 problem naming the parameter.
 */
#ifndef ABTC_QUERY_H
#define ABTC_QUERY_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct {
    const char *name;   /* decoded, NUL-terminated */
    const char *value;  /* decoded, "" for "name" or "name=" */
} abtc_param_t;

/* Parse a raw query string (r->args, may be NULL or "") into *out, an array
 * of abtc_param_t in the order given. Empty pieces ("a=1&&b=2", trailing
 * '&') are skipped.
 * Returns APR_SUCCESS, or APR_EINVAL with *err_name set to the (raw, safe to
 * show: non-printable bytes escaped) parameter name and *err_reason to a
 * short English reason: invalid percent-escape, encoded NUL or control
 * character, invalid UTF-8, empty parameter name. */
apr_status_t abtc_query_parse(apr_pool_t *p, const char *qs,
                              apr_array_header_t **out,
                              const char **err_name, const char **err_reason);

/* Split a list value "1,2, 3" into trimmed non-empty items (array of
 * const char *). An empty item ("1,,2", "1,") is an error: returns NULL. */
apr_array_header_t *abtc_query_split_list(apr_pool_t *p, const char *value);

/* Percent-encode a value for use in a URL query component (RFC 3986
 * unreserved characters, ',' and ':' stay as they are; everything else,
 * '+' and '&' included, becomes %XX). */
const char *abtc_query_escape(apr_pool_t *p, const char *s);

#endif
