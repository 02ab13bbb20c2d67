/* abtc_problem.c: RFC 9457 problem documents. */

#include "abtc_problem.h"

#include <apr_strings.h>
#include <stdarg.h>
#include <string.h>

typedef struct {
    int status;
    const char *slug;
    const char *title;
} status_info_t;

static const status_info_t status_table[] = {
    { 400, "bad-request", "Bad Request" },
    { 401, "unauthorized", "Unauthorized" },
    { 403, "forbidden", "Forbidden" },
    { 404, "not-found", "Not Found" },
    { 405, "method-not-allowed", "Method Not Allowed" },
    { 406, "not-acceptable", "Not Acceptable" },
    { 408, "request-timeout", "Request Timeout" },
    { 409, "conflict", "Conflict" },
    { 411, "length-required", "Length Required" },
    { 413, "payload-too-large", "Payload Too Large" },
    { 414, "uri-too-long", "URI Too Long" },
    { 415, "unsupported-media-type", "Unsupported Media Type" },
    { 500, "internal-server-error", "Internal Server Error" },
    { 501, "not-implemented", "Not Implemented" },
    { 503, "service-unavailable", "Service Unavailable" },
};

static const status_info_t *status_lookup(int status)
{
    size_t i;

    for (i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++) {
        if (status_table[i].status == status) {
            return &status_table[i];
        }
    }
    return NULL;
}

const char *abtc_problem_slug(int status)
{
    const status_info_t *si = status_lookup(status);

    if (si) {
        return si->slug;
    }
    return status >= 500 ? "internal-server-error" : "bad-request";
}

const char *abtc_problem_title(int status)
{
    const status_info_t *si = status_lookup(status);

    if (si) {
        return si->title;
    }
    return status >= 500 ? "Internal Server Error" : "Bad Request";
}

abtc_problem_t *abtc_problem_make(apr_pool_t *p, int status,
                                  const char *detail)
{
    abtc_problem_t *pr = apr_pcalloc(p, sizeof(*pr));

    pr->status = status;
    pr->detail = detail;
    return pr;
}

abtc_problem_t *abtc_problem_makef(apr_pool_t *p, int status,
                                   const char *fmt, ...)
{
    va_list ap;
    const char *detail;

    va_start(ap, fmt);
    detail = apr_pvsprintf(p, fmt, ap);
    va_end(ap);
    return abtc_problem_make(p, status, detail);
}

static void problem_add(abtc_problem_t *pr, apr_pool_t *p,
                        const char *pointer, const char *parameter,
                        const char *detail)
{
    abtc_problem_error_t *e;

    if (!pr->errors) {
        pr->errors = apr_array_make(p, 4, sizeof(abtc_problem_error_t));
    }
    if (pr->errors->nelts >= ABTC_PROBLEM_MAX_ERRORS) {
        /* a body of thousands of bad members gets a bounded answer */
        pr->truncated++;
        return;
    }
    e = apr_array_push(pr->errors);
    e->pointer = pointer;
    e->parameter = parameter;
    e->detail = detail;
    if (!pr->detail) {
        const char *where = pointer ? pointer : parameter;

        /* the root pointer "" names the whole body */
        pr->detail = *where ? apr_pstrcat(p, where, ": ", detail, NULL)
                            : apr_pstrcat(p, "The request body ", detail, ".",
                                          NULL);
    }
}

void abtc_problem_field(abtc_problem_t *pr, apr_pool_t *p,
                        const char *pointer, const char *detail)
{
    problem_add(pr, p, pointer, NULL, detail);
}

void abtc_problem_param(abtc_problem_t *pr, apr_pool_t *p,
                        const char *parameter, const char *detail)
{
    problem_add(pr, p, NULL, parameter, detail);
}

int abtc_problem_has_errors(const abtc_problem_t *pr)
{
    return pr->errors && pr->errors->nelts > 0;
}

const char *abtc_json_quote(apr_pool_t *p, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    apr_size_t len = strlen(s), i, o = 0;
    /* worst case: every byte becomes \u00XX */
    char *out = apr_palloc(p, len * 6 + 3);

    out[o++] = '"';
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        switch (c) {
        case '"':  out[o++] = '\\'; out[o++] = '"'; break;
        case '\\': out[o++] = '\\'; out[o++] = '\\'; break;
        case '\n': out[o++] = '\\'; out[o++] = 'n'; break;
        case '\r': out[o++] = '\\'; out[o++] = 'r'; break;
        case '\t': out[o++] = '\\'; out[o++] = 't'; break;
        case '\b': out[o++] = '\\'; out[o++] = 'b'; break;
        case '\f': out[o++] = '\\'; out[o++] = 'f'; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                out[o++] = '\\'; out[o++] = 'u'; out[o++] = '0';
                out[o++] = '0'; out[o++] = hex[c >> 4];
                out[o++] = hex[c & 0xf];
            }
            else {
                out[o++] = (char)c;
            }
        }
    }
    out[o++] = '"';
    out[o] = '\0';
    return out;
}

const char *abtc_problem_json(apr_pool_t *p, const abtc_problem_t *pr,
                              const char *correlation_id)
{
    const char *title = pr->title ? pr->title : abtc_problem_title(pr->status);
    const char *detail = pr->detail ? pr->detail : title;
    char *json;
    int i;

    json = apr_psprintf(p,
                        "{\"type\":\"" ABTC_PROBLEM_TYPE_BASE "%s\","
                        "\"title\":%s,\"status\":%d,\"detail\":%s,"
                        "\"instance\":%s",
                        abtc_problem_slug(pr->status),
                        abtc_json_quote(p, title), pr->status,
                        abtc_json_quote(p, detail),
                        abtc_json_quote(p, apr_pstrcat(p, "urn:uuid:",
                                                       correlation_id, NULL)));
    if (pr->errors && pr->errors->nelts) {
        json = apr_pstrcat(p, json, ",\"errors\":[", NULL);
        for (i = 0; i < pr->errors->nelts; i++) {
            const abtc_problem_error_t *e =
                &APR_ARRAY_IDX(pr->errors, i, abtc_problem_error_t);

            json = apr_pstrcat(p, json, i ? "," : "", "{",
                               e->pointer ? "\"pointer\":" : "\"parameter\":",
                               abtc_json_quote(p, e->pointer ? e->pointer
                                                             : e->parameter),
                               ",\"detail\":", abtc_json_quote(p, e->detail),
                               "}", NULL);
        }
        json = apr_pstrcat(p, json, "]", NULL);
        if (pr->truncated) {
            json = apr_psprintf(p, "%s,\"errorsOmitted\":%d", json,
                                pr->truncated);
        }
    }
    return apr_pstrcat(p, json, "}", NULL);
}
