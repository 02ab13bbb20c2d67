/* abtc_jsonparse: a strict RFC 8259 parser building json-c objects. */

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "abtc_jsonparse.h"
#include "abtc_format.h"

/* Longest part of a key quoted in an error message, in bytes. */
#define ABTC_JP_KEY_MAX 64

typedef struct {
    apr_pool_t *p;
    const char *buf;
    apr_size_t len;
    apr_size_t pos;
    int max_depth;
    /* Decoded strings and number texts go here, used as a stack: an object
     * key stays put while its value is parsed above it. Every string is
     * decoded from a disjoint stretch of input at least two bytes longer
     * than its result, so len + 1 bytes always suffice. */
    char *scratch;
    apr_size_t top;
    const char *err;
} abtc_jp_t;

static int abtc_jp_value(abtc_jp_t *jp, int depth, json_object **out);

static int abtc_jp_fail(abtc_jp_t *jp, apr_size_t offset, const char *what)
{
    jp->err = apr_psprintf(jp->p, "%s at offset %" APR_SIZE_T_FMT, what,
                           offset);
    return 0;
}

static int abtc_jp_fail_here(abtc_jp_t *jp)
{
    unsigned char c;

    if (jp->pos >= jp->len) {
        return abtc_jp_fail(jp, jp->pos, "unexpected end of input");
    }
    c = (unsigned char)jp->buf[jp->pos];
    if (c > 0x20 && c < 0x7f) {
        return abtc_jp_fail(jp, jp->pos,
                            apr_psprintf(jp->p, "unexpected character '%c'",
                                         c));
    }
    return abtc_jp_fail(jp, jp->pos,
                        apr_psprintf(jp->p, "unexpected byte 0x%02x", c));
}

static void abtc_jp_ws(abtc_jp_t *jp)
{
    while (jp->pos < jp->len) {
        char c = jp->buf[jp->pos];

        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            break;
        }
        jp->pos++;
    }
}

/* Four hex digits at s, avail bytes available: 1 ok, 0 input ends
 * first, -1 a non-hex character. */
static int abtc_jp_hex4(const char *s, apr_size_t avail, unsigned int *out)
{
    unsigned int v = 0;
    apr_size_t i;

    for (i = 0; i < 4; i++) {
        char c;

        if (i == avail) {
            return 0;
        }
        c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= (unsigned int)(c - '0');
        }
        else if (c >= 'a' && c <= 'f') {
            v |= (unsigned int)(c - 'a' + 10);
        }
        else if (c >= 'A' && c <= 'F') {
            v |= (unsigned int)(c - 'A' + 10);
        }
        else {
            return -1;
        }
    }
    *out = v;
    return 1;
}

/* Reads the \uXXXX (and its low-surrogate partner) at jp->pos. */
static int abtc_jp_uescape(abtc_jp_t *jp, unsigned int *cp)
{
    apr_size_t at = jp->pos;
    unsigned int lo;
    int rv;

    /* jp->pos is at the backslash, the 'u' follows */
    rv = abtc_jp_hex4(jp->buf + at + 2, jp->len - at - 2, cp);
    if (rv == 0) {
        jp->pos = jp->len;
        return abtc_jp_fail_here(jp);
    }
    if (rv < 0) {
        return abtc_jp_fail(jp, at, "invalid \\u escape");
    }
    jp->pos += 6;
    if (*cp == 0) {
        return abtc_jp_fail(jp, at, "\\u0000 not allowed");
    }
    if (*cp >= 0xDC00 && *cp <= 0xDFFF) {
        return abtc_jp_fail(jp, at, "lone surrogate");
    }
    if (*cp >= 0xD800 && *cp <= 0xDBFF) {
        if (jp->len - jp->pos < 6 || jp->buf[jp->pos] != '\\'
            || jp->buf[jp->pos + 1] != 'u'
            || abtc_jp_hex4(jp->buf + jp->pos + 2, 4, &lo) != 1
            || lo < 0xDC00 || lo > 0xDFFF) {
            return abtc_jp_fail(jp, at, "lone surrogate");
        }
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
        jp->pos += 6;
    }
    return 1;
}

/* Decodes the string at jp->pos (the opening quote) into the scratch at
 * jp->top, NUL-terminated; *n is its length. NULL on error. */
static char *abtc_jp_string(abtc_jp_t *jp, apr_size_t *n)
{
    char *start = jp->scratch + jp->top;
    char *o = start;

    jp->pos++;
    for (;;) {
        unsigned char c;

        if (jp->pos >= jp->len) {
            abtc_jp_fail_here(jp);
            return NULL;
        }
        c = (unsigned char)jp->buf[jp->pos];
        if (c == '"') {
            jp->pos++;
            break;
        }
        if (c < 0x20) {
            abtc_jp_fail(jp, jp->pos, "control character in string");
            return NULL;
        }
        if (c == '\\') {
            char e;
            unsigned int cp = 0;

            if (jp->pos + 1 >= jp->len) {
                jp->pos = jp->len;
                abtc_jp_fail_here(jp);
                return NULL;
            }
            e = jp->buf[jp->pos + 1];
            switch (e) {
            case '"': case '\\': case '/':
                *o++ = e;
                break;
            case 'b':
                *o++ = '\b';
                break;
            case 'f':
                *o++ = '\f';
                break;
            case 'n':
                *o++ = '\n';
                break;
            case 'r':
                *o++ = '\r';
                break;
            case 't':
                *o++ = '\t';
                break;
            case 'u':
                if (!abtc_jp_uescape(jp, &cp)) {
                    return NULL;
                }
                if (cp < 0x80) {
                    *o++ = (char)cp;
                }
                else if (cp < 0x800) {
                    *o++ = (char)(0xC0 | (cp >> 6));
                    *o++ = (char)(0x80 | (cp & 0x3F));
                }
                else if (cp < 0x10000) {
                    *o++ = (char)(0xE0 | (cp >> 12));
                    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                    *o++ = (char)(0x80 | (cp & 0x3F));
                }
                else {
                    *o++ = (char)(0xF0 | (cp >> 18));
                    *o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
                    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
                    *o++ = (char)(0x80 | (cp & 0x3F));
                }
                continue;
            default:
                abtc_jp_fail(jp, jp->pos, "invalid escape");
                return NULL;
            }
            jp->pos += 2;
        }
        else if (c < 0x80) {
            *o++ = (char)c;
            jp->pos++;
        }
        else {
            apr_size_t k = abtc_utf8_seq_len(jp->buf + jp->pos,
                                             jp->len - jp->pos);

            if (k == 0) {
                abtc_jp_fail(jp, jp->pos, "invalid UTF-8");
                return NULL;
            }
            memcpy(o, jp->buf + jp->pos, k);
            o += k;
            jp->pos += k;
        }
    }
    *o = '\0';
    *n = (apr_size_t)(o - start);
    return start;
}

/* A key fit for an error message: control characters shown as '?', cut
 * at a character boundary. */
static const char *abtc_jp_key_for_error(apr_pool_t *p, const char *key,
                                         apr_size_t n)
{
    char *out;
    apr_size_t i;

    if (n > ABTC_JP_KEY_MAX) {
        n = ABTC_JP_KEY_MAX;
        while (n > 0 && ((unsigned char)key[n] & 0xC0) == 0x80) {
            n--;
        }
    }
    out = apr_pstrndup(p, key, n);
    for (i = 0; i < n; i++) {
        if ((unsigned char)out[i] < 0x20) {
            out[i] = '?';
        }
    }
    return out;
}

static int abtc_jp_number(abtc_jp_t *jp, json_object **out)
{
    apr_size_t start = jp->pos, n;
    const char *b = jp->buf;
    int is_int = 1;
    char *text, *end;
    apr_int64_t iv;
    double d;

    if (b[jp->pos] == '-') {
        jp->pos++;
    }
    if (jp->pos < jp->len && b[jp->pos] == '0') {
        jp->pos++;
        if (jp->pos < jp->len && b[jp->pos] >= '0' && b[jp->pos] <= '9') {
            return abtc_jp_fail(jp, start, "leading zero in number");
        }
    }
    else if (jp->pos < jp->len && b[jp->pos] >= '1' && b[jp->pos] <= '9') {
        while (jp->pos < jp->len && b[jp->pos] >= '0' && b[jp->pos] <= '9') {
            jp->pos++;
        }
    }
    else {
        return abtc_jp_fail(jp, start, "invalid number");
    }
    if (jp->pos < jp->len && b[jp->pos] == '.') {
        apr_size_t digits = ++jp->pos;

        while (jp->pos < jp->len && b[jp->pos] >= '0' && b[jp->pos] <= '9') {
            jp->pos++;
        }
        if (jp->pos == digits) {
            return abtc_jp_fail(jp, start, "invalid number");
        }
        is_int = 0;
    }
    if (jp->pos < jp->len && (b[jp->pos] == 'e' || b[jp->pos] == 'E')) {
        apr_size_t digits;

        jp->pos++;
        if (jp->pos < jp->len && (b[jp->pos] == '+' || b[jp->pos] == '-')) {
            jp->pos++;
        }
        digits = jp->pos;
        while (jp->pos < jp->len && b[jp->pos] >= '0' && b[jp->pos] <= '9') {
            jp->pos++;
        }
        if (jp->pos == digits) {
            return abtc_jp_fail(jp, start, "invalid number");
        }
        is_int = 0;
    }
    n = jp->pos - start;
    text = jp->scratch + jp->top;
    memcpy(text, b + start, n);
    text[n] = '\0';
    if (is_int && strcmp(text, "-0") == 0) {
        /* abtc_int_parse() refuses "-0"; JSON calls it an integer */
        *out = json_object_new_int64(0);
    }
    else if (is_int
             && abtc_int_parse(text, APR_INT64_MIN, APR_INT64_MAX, &iv)) {
        *out = json_object_new_int64(iv);
    }
    else {
        /* json-c's serialiser prints the original text of a _s double,
         * so "9223372036854775808" is never silently rounded */
        d = strtod(text, &end);
        if (end != text + n) {
            return abtc_jp_fail(jp, start, "invalid number");
        }
        if (isinf(d)) {
            return abtc_jp_fail(jp, start, "number out of range");
        }
        *out = json_object_new_double_s(d, text);
    }
    if (*out == NULL) {
        return abtc_jp_fail(jp, start, "out of memory");
    }
    return 1;
}

static int abtc_jp_literal(abtc_jp_t *jp, const char *word, apr_size_t wlen)
{
    apr_size_t left = jp->len - jp->pos, i;

    for (i = 0; i < wlen; i++) {
        if (i == left) {
            jp->pos = jp->len;
            return abtc_jp_fail_here(jp);
        }
        if (jp->buf[jp->pos + i] != word[i]) {
            jp->pos += i;
            return abtc_jp_fail_here(jp);
        }
    }
    jp->pos += wlen;
    return 1;
}

static int abtc_jp_object(abtc_jp_t *jp, int depth, json_object **out)
{
    json_object *obj, *val;
    apr_size_t keyoff, klen, saved;
    char *key;

    if (depth > jp->max_depth) {
        return abtc_jp_fail(jp, jp->pos,
                            apr_psprintf(jp->p, "nesting deeper than %d",
                                         jp->max_depth));
    }
    if ((obj = json_object_new_object()) == NULL) {
        return abtc_jp_fail(jp, jp->pos, "out of memory");
    }
    jp->pos++;
    abtc_jp_ws(jp);
    if (jp->pos < jp->len && jp->buf[jp->pos] == '}') {
        jp->pos++;
        *out = obj;
        return 1;
    }
    for (;;) {
        abtc_jp_ws(jp);
        if (jp->pos >= jp->len || jp->buf[jp->pos] != '"') {
            if (jp->pos < jp->len) {
                abtc_jp_fail(jp, jp->pos, "expected a string key");
            }
            else {
                abtc_jp_fail_here(jp);
            }
            goto fail;
        }
        keyoff = jp->pos;
        if ((key = abtc_jp_string(jp, &klen)) == NULL) {
            goto fail;
        }
        if (json_object_object_get_ex(obj, key, NULL)) {
            abtc_jp_fail(jp, keyoff,
                         apr_psprintf(jp->p, "duplicate key \"%s\"",
                                      abtc_jp_key_for_error(jp->p, key,
                                                            klen)));
            goto fail;
        }
        abtc_jp_ws(jp);
        if (jp->pos >= jp->len || jp->buf[jp->pos] != ':') {
            if (jp->pos < jp->len) {
                abtc_jp_fail(jp, jp->pos, "expected ':'");
            }
            else {
                abtc_jp_fail_here(jp);
            }
            goto fail;
        }
        jp->pos++;
        saved = jp->top;
        jp->top += klen + 1;
        if (!abtc_jp_value(jp, depth, &val)) {
            goto fail;
        }
        jp->top = saved;
        if (json_object_object_add(obj, key, val) != 0) {
            json_object_put(val);
            abtc_jp_fail(jp, keyoff, "out of memory");
            goto fail;
        }
        abtc_jp_ws(jp);
        if (jp->pos < jp->len && jp->buf[jp->pos] == ',') {
            jp->pos++;
            continue;
        }
        if (jp->pos < jp->len && jp->buf[jp->pos] == '}') {
            jp->pos++;
            *out = obj;
            return 1;
        }
        if (jp->pos < jp->len) {
            abtc_jp_fail(jp, jp->pos, "expected ',' or '}'");
        }
        else {
            abtc_jp_fail_here(jp);
        }
        goto fail;
    }
fail:
    json_object_put(obj);
    return 0;
}

static int abtc_jp_array(abtc_jp_t *jp, int depth, json_object **out)
{
    json_object *arr, *val;

    if (depth > jp->max_depth) {
        return abtc_jp_fail(jp, jp->pos,
                            apr_psprintf(jp->p, "nesting deeper than %d",
                                         jp->max_depth));
    }
    if ((arr = json_object_new_array()) == NULL) {
        return abtc_jp_fail(jp, jp->pos, "out of memory");
    }
    jp->pos++;
    abtc_jp_ws(jp);
    if (jp->pos < jp->len && jp->buf[jp->pos] == ']') {
        jp->pos++;
        *out = arr;
        return 1;
    }
    for (;;) {
        if (!abtc_jp_value(jp, depth, &val)) {
            break;
        }
        if (json_object_array_add(arr, val) != 0) {
            json_object_put(val);
            abtc_jp_fail(jp, jp->pos, "out of memory");
            break;
        }
        abtc_jp_ws(jp);
        if (jp->pos < jp->len && jp->buf[jp->pos] == ',') {
            jp->pos++;
            continue;
        }
        if (jp->pos < jp->len && jp->buf[jp->pos] == ']') {
            jp->pos++;
            *out = arr;
            return 1;
        }
        if (jp->pos < jp->len) {
            abtc_jp_fail(jp, jp->pos, "expected ',' or ']'");
        }
        else {
            abtc_jp_fail_here(jp);
        }
        break;
    }
    json_object_put(arr);
    return 0;
}

/* One value at jp->pos; depth is the number of containers around it. */
static int abtc_jp_value(abtc_jp_t *jp, int depth, json_object **out)
{
    apr_size_t at, n;
    const char *s;

    *out = NULL;
    abtc_jp_ws(jp);
    if (jp->pos >= jp->len) {
        return abtc_jp_fail_here(jp);
    }
    switch (jp->buf[jp->pos]) {
    case '{':
        return abtc_jp_object(jp, depth + 1, out);
    case '[':
        return abtc_jp_array(jp, depth + 1, out);
    case '"':
        at = jp->pos;
        if ((s = abtc_jp_string(jp, &n)) == NULL) {
            return 0;
        }
        if (n > INT_MAX) {
            return abtc_jp_fail(jp, at, "string too long");
        }
        if ((*out = json_object_new_string_len(s, (int)n)) == NULL) {
            return abtc_jp_fail(jp, at, "out of memory");
        }
        return 1;
    case 't':
        if (!abtc_jp_literal(jp, "true", 4)) {
            return 0;
        }
        *out = json_object_new_boolean(1);
        break;
    case 'f':
        if (!abtc_jp_literal(jp, "false", 5)) {
            return 0;
        }
        *out = json_object_new_boolean(0);
        break;
    case 'n':
        return abtc_jp_literal(jp, "null", 4);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return abtc_jp_number(jp, out);
    default:
        return abtc_jp_fail_here(jp);
    }
    if (*out == NULL) {
        return abtc_jp_fail(jp, jp->pos, "out of memory");
    }
    return 1;
}

static apr_status_t abtc_jp_cleanup(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

json_object *abtc_json_parse(apr_pool_t *p, const char *buf, apr_size_t len,
                             int max_depth, const char **err)
{
    abtc_jp_t jp;
    json_object *root = NULL;

    *err = NULL;
    memset(&jp, 0, sizeof(jp));
    jp.p = p;
    jp.buf = buf ? buf : "";
    jp.len = buf ? len : 0;
    jp.max_depth = max_depth < 0 ? 0 : max_depth;
    if (jp.len >= 3 && memcmp(jp.buf, "\xEF\xBB\xBF", 3) == 0) {
        abtc_jp_fail(&jp, 0, "byte-order mark not allowed");
        *err = jp.err;
        return NULL;
    }
    jp.scratch = apr_palloc(p, jp.len + 1);
    if (!abtc_jp_value(&jp, 0, &root)) {
        *err = jp.err;
        return NULL;
    }
    abtc_jp_ws(&jp);
    if (jp.pos < jp.len) {
        json_object_put(root);
        abtc_jp_fail(&jp, jp.pos, "trailing characters");
        *err = jp.err;
        return NULL;
    }
    if (root != NULL) {
        apr_pool_cleanup_register(p, root, abtc_jp_cleanup,
                                  apr_pool_cleanup_null);
    }
    return root;
}

apr_size_t abtc_json_compact(char *dst, const char *src, apr_size_t len)
{
    apr_size_t i, o = 0;
    int in_string = 0;

    /* o never passes i, so dst == src compacts in place */
    for (i = 0; i < len; i++) {
        char c = src[i];

        if (in_string) {
            dst[o++] = c;
            if (c == '\\' && i + 1 < len) {
                dst[o++] = src[++i];
            }
            else if (c == '"') {
                in_string = 0;
            }
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            continue;
        }
        if (c == '"') {
            in_string = 1;
        }
        dst[o++] = c;
    }
    return o;
}
