/* abtc_problem: RFC 9457 problem documents (ERRATA D11).
 *
 * Every error the API answers is built here: validation (400 with an
 * `errors` list naming each field or parameter), 404, 405, 409, 413, 415,
 * 401/403 rendered for mod_auth_openidc, and 5xx. Detail texts never carry
 * SQL, stack traces or personal data: callers pass field names and reasons,
 * and the offending value only for formats the seed itself echoes (dates).
 */
#ifndef ABTC_PROBLEM_H
#define ABTC_PROBLEM_H

#include <apr_pools.h>
#include <apr_tables.h>

#define ABTC_PROBLEM_TYPE_BASE "https://htm.nl/api/v1/probs/"
#define ABTC_PROBLEM_CONTENT_TYPE "application/problem+json"

typedef struct {
    const char *pointer;    /* JSON pointer into the body, or NULL */
    const char *parameter;  /* query/path parameter name, or NULL */
    const char *detail;
} abtc_problem_error_t;

typedef struct {
    int status;
    const char *title;      /* NULL: the standard title of the status */
    const char *detail;
    apr_array_header_t *errors;   /* of abtc_problem_error_t */
    const char *retry_after;      /* for 503: seconds */
    int truncated;                /* errors beyond the maximum, not listed */
} abtc_problem_t;

/* errors[] lists at most this many entries; the rest are only counted. */
#define ABTC_PROBLEM_MAX_ERRORS 20

abtc_problem_t *abtc_problem_make(apr_pool_t *p, int status,
                                  const char *detail);
abtc_problem_t *abtc_problem_makef(apr_pool_t *p, int status,
                                   const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Add an entry to errors[]; the first one also becomes the detail when
 * the problem has none. */
void abtc_problem_field(abtc_problem_t *pr, apr_pool_t *p,
                        const char *pointer, const char *detail);
void abtc_problem_param(abtc_problem_t *pr, apr_pool_t *p,
                        const char *parameter, const char *detail);

/* Does pr carry any entry in errors[]? */
int abtc_problem_has_errors(const abtc_problem_t *pr);

/* The slug of the type URI and the standard title for a status. */
const char *abtc_problem_slug(int status);
const char *abtc_problem_title(int status);

/* Serialise: {type, title, status, detail, instance, errors?}.
 * instance is "urn:uuid:<correlation_id>". */
const char *abtc_problem_json(apr_pool_t *p, const abtc_problem_t *pr,
                              const char *correlation_id);

/* A JSON string literal (quotes included) of s, escaped per RFC 8259. */
const char *abtc_json_quote(apr_pool_t *p, const char *s);

#endif
