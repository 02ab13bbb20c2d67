/* abtc_query: our own query-string parser (see abtc_query.h for why). */

#include <string.h>

#include <apr_strings.h>

#include "abtc_query.h"
#include "abtc_format.h"

/* Longest raw name echoed back in an error, in bytes. */
#define ABTC_QUERY_ERR_NAME_MAX 64

static const char abtc_hexdigits[] = "0123456789ABCDEF";

static int abtc_hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int abtc_is_ctrl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/* Decode len raw bytes: %XX escapes, and '+' is a space as in every HTML
 * form and most HTTP clients (Python's urlencode, curl --data-urlencode);
 * a plus sign travels as %2B. Returns NULL with
 * *reason set when the piece is malformed or decodes to something no
 * parameter may hold. */
static char *abtc_query_decode(apr_pool_t *p, const char *raw, apr_size_t len,
                               const char **reason)
{
    char *out = apr_palloc(p, len + 1);
    apr_size_t i, n = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];

        if (c == '%') {
            int hi, lo;

            if (len - i < 3
                || (hi = abtc_hexval(raw[i + 1])) < 0
                || (lo = abtc_hexval(raw[i + 2])) < 0) {
                *reason = "invalid percent-escape";
                return NULL;
            }
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        }
        else if (c == '+') {
            c = ' ';
        }
        if (abtc_is_ctrl(c)) {
            *reason = "NUL or control character";
            return NULL;
        }
        out[n++] = (char)c;
    }
    out[n] = '\0';
    if (!abtc_utf8_valid(out, n)) {
        *reason = "invalid UTF-8";
        return NULL;
    }
    /* C1 controls (U+0080..U+009F) are C2 80..C2 9F in valid UTF-8 */
    for (i = 0; i + 1 < n; i++) {
        if ((unsigned char)out[i] == 0xC2
            && (unsigned char)out[i + 1] >= 0x80
            && (unsigned char)out[i + 1] <= 0x9F) {
            *reason = "NUL or control character";
            return NULL;
        }
    }
    return out;
}

/* The raw name as it may appear in an error message: printable ASCII kept,
 * other bytes as %XX, cut at ABTC_QUERY_ERR_NAME_MAX bytes. */
static const char *abtc_query_safe_name(apr_pool_t *p, const char *raw,
                                        apr_size_t len)
{
    char *out, *o;
    apr_size_t i, max = len;

    if (max > ABTC_QUERY_ERR_NAME_MAX) {
        max = ABTC_QUERY_ERR_NAME_MAX;
    }
    out = o = apr_palloc(p, max * 3 + 4);
    for (i = 0; i < max; i++) {
        unsigned char c = (unsigned char)raw[i];

        if (c >= 0x20 && c < 0x7f) {
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = abtc_hexdigits[c >> 4];
            *o++ = abtc_hexdigits[c & 0x0f];
        }
    }
    if (max < len) {
        memcpy(o, "...", 3);
        o += 3;
    }
    *o = '\0';
    return out;
}

apr_status_t abtc_query_parse(apr_pool_t *p, const char *qs,
                              apr_array_header_t **out,
                              const char **err_name, const char **err_reason)
{
    apr_array_header_t *params = apr_array_make(p, 8, sizeof(abtc_param_t));
    const char *s = qs ? qs : "";

    *out = params;
    while (*s) {
        const char *amp = strchr(s, '&');
        const char *end = amp ? amp : s + strlen(s);
        const char *eq = memchr(s, '=', (apr_size_t)(end - s));
        const char *name_end = eq ? eq : end;
        const char *reason = NULL;
        abtc_param_t *param;
        const char *name, *value = NULL;

        if (end == s) {
            s = end + 1;
            continue;
        }
        name = abtc_query_decode(p, s, (apr_size_t)(name_end - s), &reason);
        if (name != NULL && *name == '\0') {
            reason = "empty parameter name";
        }
        else if (name != NULL) {
            value = eq ? abtc_query_decode(p, eq + 1,
                                           (apr_size_t)(end - eq - 1), &reason)
                       : "";
        }
        if (reason != NULL) {
            if (err_name) {
                *err_name = abtc_query_safe_name(p, s,
                                                 (apr_size_t)(name_end - s));
            }
            if (err_reason) {
                *err_reason = reason;
            }
            return APR_EINVAL;
        }
        param = apr_array_push(params);
        param->name = name;
        param->value = value;
        s = amp ? amp + 1 : end;
    }
    return APR_SUCCESS;
}

apr_array_header_t *abtc_query_split_list(apr_pool_t *p, const char *value)
{
    apr_array_header_t *items;
    const char *s = value;

    if (value == NULL) {
        return NULL;
    }
    items = apr_array_make(p, 4, sizeof(const char *));
    for (;;) {
        const char *comma = strchr(s, ',');
        const char *b = s;
        const char *e = comma ? comma : s + strlen(s);

        while (b < e && (*b == ' ' || *b == '\t')) {
            b++;
        }
        while (e > b && (e[-1] == ' ' || e[-1] == '\t')) {
            e--;
        }
        if (b == e) {
            return NULL;
        }
        APR_ARRAY_PUSH(items, const char *) = apr_pstrndup(p, b,
                                                           (apr_size_t)(e - b));
        if (comma == NULL) {
            break;
        }
        s = comma + 1;
    }
    return items;
}

const char *abtc_query_escape(apr_pool_t *p, const char *s)
{
    char *out, *o;

    if (s == NULL) {
        return NULL;
    }
    out = o = apr_palloc(p, strlen(s) * 3 + 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
            || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_' || c == '~'
            || c == ',' || c == ':') {
            /* ',' and ':' mean nothing special in a query value: lists
             * ("1,2") and times stay readable in _links */
            *o++ = (char)c;
        }
        else {
            *o++ = '%';
            *o++ = abtc_hexdigits[c >> 4];
            *o++ = abtc_hexdigits[c & 0x0f];
        }
    }
    *o = '\0';
    return out;
}
