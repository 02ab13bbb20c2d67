/* abtc_format: validators and normalisers for the API's value formats. */

#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "abtc_format.h"

/* ASCII-only classification: the <ctype.h> functions follow the locale and
 * could let bytes >= 0x80 through in some of them. */
static int abtc_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int abtc_is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

static int abtc_is_alpha(int c)
{
    return abtc_is_upper(c) || (c >= 'a' && c <= 'z');
}

static int abtc_is_alnum(int c)
{
    return abtc_is_alpha(c) || abtc_is_digit(c);
}

static int abtc_is_hex(int c)
{
    return abtc_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char abtc_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static char abtc_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Upper-case copy of s. */
static char *abtc_pstrupper(apr_pool_t *p, const char *s)
{
    char *out = apr_pstrdup(p, s);
    char *c;

    for (c = out; *c; c++) {
        *c = abtc_upper(*c);
    }
    return out;
}

/* Exactly n decimal digits at s; stops at the first non-digit, so it never
 * reads past the terminating NUL. */
static int abtc_digits(const char *s, int n, int *out)
{
    int i, v = 0;

    for (i = 0; i < n; i++) {
        if (!abtc_is_digit(s[i])) {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int abtc_int_parse(const char *s, apr_int64_t min, apr_int64_t max,
                   apr_int64_t *out)
{
    const char *c = s;
    apr_uint64_t v = 0, limit;
    apr_int64_t value;
    int neg = 0;

    if (s == NULL) {
        return 0;
    }
    if (*c == '-') {
        neg = 1;
        c++;
    }
    if (!abtc_is_digit(*c)) {
        return 0;
    }
    /* "00", "01" and "-0" are not the canonical spelling of any number */
    if (*c == '0' && (c[1] != '\0' || neg)) {
        return 0;
    }
    limit = neg ? (apr_uint64_t)APR_INT64_MAX + 1 : (apr_uint64_t)APR_INT64_MAX;
    for (; abtc_is_digit(*c); c++) {
        unsigned int d = (unsigned int)(*c - '0');

        /* out of range is an error, never a saturated value */
        if (v > (limit - d) / 10) {
            return 0;
        }
        v = v * 10 + d;
    }
    if (*c != '\0') {
        return 0;
    }
    /* -(v - 1) - 1 reaches INT64_MIN without overflowing */
    value = neg ? -(apr_int64_t)(v - 1) - 1 : (apr_int64_t)v;
    if (value < min || value > max) {
        return 0;
    }
    if (out) {
        *out = value;
    }
    return 1;
}

static int abtc_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* "YYYY-MM-DD" at the start of s, a real calendar day. */
static int abtc_parse_date(const char *s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    int y, m, d, last;

    if (!abtc_digits(s, 4, &y) || s[4] != '-'
        || !abtc_digits(s + 5, 2, &m) || s[7] != '-'
        || !abtc_digits(s + 8, 2, &d)) {
        return 0;
    }
    if (y < 1 || m < 1 || m > 12 || d < 1) {
        return 0;
    }
    last = mdays[m - 1] + (m == 2 && abtc_leap_year(y));
    return d <= last;
}

const char *abtc_date_normalize(apr_pool_t *p, const char *s)
{
    if (s == NULL || strlen(s) != 10 || !abtc_parse_date(s)) {
        return NULL;
    }
    return apr_pstrdup(p, s);
}

const char *abtc_datetime_normalize(apr_pool_t *p, const char *s,
                                    int allow_date_only, int *has_date_only)
{
    const char *c, *frac = NULL, *zone = "";
    int h, mi, sec = 0, fraclen = 0;

    if (has_date_only) {
        *has_date_only = 0;
    }
    if (s == NULL || !abtc_parse_date(s)) {
        return NULL;
    }
    /* instants of this API lie in years 1900-9998: earlier ones have no
     * whole-minute offset in Europe/Amsterdam, later ones could roll over
     * into year 10000 once converted */
    if (strncmp(s, "1900", 4) < 0 || strncmp(s, "9999", 4) >= 0) {
        return NULL;
    }
    c = s + 10;
    if (*c == '\0') {
        if (!allow_date_only) {
            return NULL;
        }
        if (has_date_only) {
            *has_date_only = 1;
        }
        return apr_psprintf(p, "%.10sT00:00:00", s);
    }
    /* RFC 3339 allows a lower-case 't' and 'z'; D7 adds the space */
    if (*c != 'T' && *c != 't' && *c != ' ') {
        return NULL;
    }
    c++;
    if (!abtc_digits(c, 2, &h) || c[2] != ':' || !abtc_digits(c + 3, 2, &mi)) {
        return NULL;
    }
    c += 5;
    if (*c == ':') {
        if (!abtc_digits(c + 1, 2, &sec)) {
            return NULL;
        }
        c += 3;
        if (*c == '.') {
            frac = ++c;
            while (abtc_is_digit(*c)) {
                c++;
            }
            fraclen = (int)(c - frac);
            if (fraclen < 1 || fraclen > 9) {
                return NULL;
            }
            /* RFC 3339 allows any precision; PostgreSQL keeps
             * microseconds, so digits beyond the sixth are dropped
             * (7 digits is .NET's default) */
            if (fraclen > 6) {
                fraclen = 6;
            }
        }
    }
    /* second 60 is RFC 3339's leap second; PostgreSQL accepts it too */
    if (h > 23 || mi > 59 || sec > 60) {
        return NULL;
    }
    if (*c == 'Z' || *c == 'z') {
        zone = "Z";
        c++;
    }
    else if (*c == '+' || *c == '-') {
        char sign = *c++;
        int oh, om = 0;

        if (!abtc_digits(c, 2, &oh)) {
            return NULL;
        }
        c += 2;
        if (*c == ':') {
            if (!abtc_digits(c + 1, 2, &om)) {
                return NULL;
            }
            c += 3;
        }
        else if (abtc_is_digit(*c)) {
            if (!abtc_digits(c, 2, &om)) {
                return NULL;
            }
            c += 2;
        }
        /* PostgreSQL reads offsets up to 15:59 */
        if (om > 59 || oh > 15) {
            return NULL;
        }
        zone = apr_psprintf(p, "%c%02d:%02d", sign, oh, om);
    }
    if (*c != '\0') {
        return NULL;
    }
    return apr_psprintf(p, "%.10sT%02d:%02d:%02d%s%.*s%s", s, h, mi, sec,
                        frac ? "." : "", fraclen, frac ? frac : "", zone);
}

/* IBAN lengths by country, from the SWIFT IBAN registry. */
static const struct {
    char cc[3];
    unsigned char len;
} abtc_iban_lengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20},
    {"BE", 16}, {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28},
    {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23},
    {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
    {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28},
    {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28}, {"PS", 29},
    {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
    {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
    {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30}
};

static int abtc_iban_length(const char *cc)
{
    apr_size_t i;

    for (i = 0; i < sizeof(abtc_iban_lengths) / sizeof(abtc_iban_lengths[0]);
         i++) {
        if (abtc_iban_lengths[i].cc[0] == cc[0]
            && abtc_iban_lengths[i].cc[1] == cc[1]) {
            return abtc_iban_lengths[i].len;
        }
    }
    return 0;
}

const char *abtc_iban_normalize(apr_pool_t *p, const char *s)
{
    char *buf;
    apr_size_t n = 0, i;
    unsigned int rem = 0;
    int check;

    if (s == NULL) {
        return NULL;
    }
    buf = apr_palloc(p, strlen(s) + 1);
    for (; *s; s++) {
        if (*s == ' ') {
            continue;
        }
        if (!abtc_is_alnum(*s) || n == 34) {
            return NULL;
        }
        buf[n++] = abtc_upper(*s);
    }
    buf[n] = '\0';
    if (n < 5 || !abtc_is_upper(buf[0]) || !abtc_is_upper(buf[1])
        || !abtc_digits(buf + 2, 2, &check)) {
        return NULL;
    }
    /* ISO 13616 check digits are 02..98; 00, 01 and 99 pass mod 97 only
     * through an alias of a valid pair */
    if (check < 2 || check > 98 || (apr_size_t)abtc_iban_length(buf) != n) {
        return NULL;
    }
    /* mod 97 of the number made by moving the first four characters to the
     * end and spelling letters as 10..35, computed piecewise */
    for (i = 0; i < n; i++) {
        char c = buf[(i + 4) % n];

        if (abtc_is_digit(c)) {
            rem = (rem * 10 + (unsigned int)(c - '0')) % 97;
        }
        else {
            rem = (rem * 100 + (unsigned int)(c - 'A' + 10)) % 97;
        }
    }
    return rem == 1 ? buf : NULL;
}

const char *abtc_bic_normalize(apr_pool_t *p, const char *s)
{
    apr_size_t n, i;

    if (s == NULL) {
        return NULL;
    }
    n = strlen(s);
    if (n != 8 && n != 11) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (i < 6 ? !abtc_is_alpha(s[i]) : !abtc_is_alnum(s[i])) {
            return NULL;
        }
    }
    return abtc_pstrupper(p, s);
}

/* ISO 3166-1 alpha-2, officially assigned codes, sorted, two per entry. */
static const char abtc_iso3166[] =
    "ADAEAFAGAIALAMAOAQARASATAUAWAXAZ"
    "BABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZ"
    "CACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZ"
    "DEDJDKDMDODZ" "ECEEEGEHERESET" "FIFJFKFMFOFR"
    "GAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGY"
    "HKHMHNHRHTHU" "IDIEILIMINIOIQIRISIT" "JEJMJOJP"
    "KEKGKHKIKMKNKPKRKWKYKZ" "LALBLCLILKLRLSLTLULVLY"
    "MAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZ"
    "NANCNENFNGNINLNONPNRNUNZ" "OM" "PAPEPFPGPHPKPLPMPNPRPSPTPWPY" "QA"
    "RERORSRURW" "SASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZ"
    "TCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZ" "UAUGUMUSUYUZ"
    "VAVCVEVGVIVNVU" "WFWS" "YEYT" "ZAZMZW";

const char *abtc_country_normalize(apr_pool_t *p, const char *s)
{
    const char *c;
    char a, b;

    if (s == NULL || !abtc_is_alpha(s[0]) || !abtc_is_alpha(s[1])
        || s[2] != '\0') {
        return NULL;
    }
    a = abtc_upper(s[0]);
    b = abtc_upper(s[1]);
    for (c = abtc_iso3166; *c; c += 2) {
        if (c[0] == a && c[1] == b) {
            return apr_pstrndup(p, c, 2);
        }
    }
    return NULL;
}

const char *abtc_postcode_normalize(apr_pool_t *p, const char *s,
                                    const char *country)
{
    const char *end;
    char *out;
    apr_size_t n, i;

    if (s == NULL) {
        return NULL;
    }
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    n = (apr_size_t)(end - s);
    if (n == 0) {
        return NULL;
    }
    out = apr_pstrndup(p, s, n);
    for (i = 0; i < n; i++) {
        out[i] = abtc_upper(out[i]);
    }
    if (country == NULL || *country == '\0'
        || (abtc_upper(country[0]) == 'N' && abtc_upper(country[1]) == 'L'
            && country[2] == '\0')) {
        /* "1234 AB": the space carries no information (#27) */
        if (n == 7 && out[4] == ' ') {
            memmove(out + 4, out + 5, 3);
            n = 6;
        }
        if (n != 6) {
            return NULL;
        }
        for (i = 0; i < 6; i++) {
            if (i < 4 ? !abtc_is_digit(out[i]) : !abtc_is_upper(out[i])) {
                return NULL;
            }
        }
        return out;
    }
    if (n > 10) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (!abtc_is_upper(out[i]) && !abtc_is_digit(out[i])
            && out[i] != ' ' && out[i] != '-') {
            return NULL;
        }
    }
    return out;
}

const char *abtc_phone_cc_normalize(apr_pool_t *p, const char *s)
{
    const char *d;
    apr_size_t n;

    if (s == NULL) {
        return NULL;
    }
    if (s[0] == '+') {
        d = s + 1;
    }
    else if (s[0] == '0' && s[1] == '0') {
        d = s + 2;
    }
    else {
        d = s;
    }
    for (n = 0; abtc_is_digit(d[n]); n++) {
        ;
    }
    if (n < 1 || n > 3 || d[n] != '\0' || d[0] == '0') {
        return NULL;
    }
    return apr_pstrcat(p, "+", d, NULL);
}

const char *abtc_phone_number_normalize(apr_pool_t *p, const char *s)
{
    const char *c;
    int digits = 0, after_sep = 1;

    if (s == NULL) {
        return NULL;
    }
    /* starting with after_sep set rejects a leading separator, and
     * testing it at the end a trailing one or an empty string */
    for (c = s; *c; c++) {
        if (abtc_is_digit(*c)) {
            digits++;
            after_sep = 0;
        }
        else if ((*c == ' ' || *c == '-') && !after_sep) {
            after_sep = 1;
        }
        else {
            return NULL;
        }
    }
    if (after_sep || digits > 20) {
        return NULL;
    }
    return apr_pstrdup(p, s);
}

const char *abtc_phone_digits(apr_pool_t *p, const char *s)
{
    char *out, *o;

    if (s == NULL) {
        return NULL;
    }
    out = o = apr_palloc(p, strlen(s) + 1);
    for (; *s; s++) {
        if (*s != ' ' && *s != '-') {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

const char *abtc_uuid_normalize(apr_pool_t *p, const char *s)
{
    char *out;
    int i;

    if (s == NULL || strlen(s) != 36) {
        return NULL;
    }
    out = apr_pstrdup(p, s);
    for (i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') {
                return NULL;
            }
        }
        else if (!abtc_is_hex(s[i])) {
            return NULL;
        }
        out[i] = abtc_lower(s[i]);
    }
    return out;
}

const char *abtc_email_normalize(apr_pool_t *p, const char *s)
{
    const char *at, *c, *label;
    apr_size_t n;
    int labels = 0;

    if (s == NULL) {
        return NULL;
    }
    n = strlen(s);
    at = strchr(s, '@');
    if (n > 254 || at == NULL || at == s || at - s > 64
        || strchr(at + 1, '@') != NULL || !abtc_utf8_valid(s, n)) {
        return NULL;
    }
    for (c = s; c < at; c++) {
        unsigned char u = (unsigned char)*c;

        if (u <= ' ' || u == 0x7f) {
            return NULL;
        }
    }
    /* LDH labels: 1-63 characters, no hyphen at either end */
    label = at + 1;
    for (c = label;; c++) {
        if (*c == '.' || *c == '\0') {
            if (c == label || c - label > 63 || *label == '-'
                || c[-1] == '-') {
                return NULL;
            }
            labels++;
            if (*c == '\0') {
                break;
            }
            label = c + 1;
        }
        else if (!abtc_is_alnum(*c) && *c != '-') {
            return NULL;
        }
    }
    /* a bare host name is not a deliverable customer address */
    if (labels < 2) {
        return NULL;
    }
    return apr_pstrdup(p, s);
}

const char *abtc_uuid_v4(apr_pool_t *p)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    char *out, *o;
    int i;

    if (apr_generate_random_bytes(b, sizeof(b)) != APR_SUCCESS) {
        return NULL;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);   /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
    out = o = apr_palloc(p, 37);
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            *o++ = '-';
        }
        *o++ = hex[b[i] >> 4];
        *o++ = hex[b[i] & 0x0f];
    }
    *o = '\0';
    return out;
}

apr_size_t abtc_utf8_seq_len(const char *s, apr_size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char lo = 0x80, hi = 0xBF;
    apr_size_t n, i;

    if (len == 0) {
        return 0;
    }
    if (u[0] < 0x80) {
        return 1;
    }
    /* 0x80-0xC1: a stray continuation byte or an overlong 2-byte form */
    if (u[0] < 0xC2) {
        return 0;
    }
    if (u[0] < 0xE0) {
        n = 2;
    }
    else if (u[0] < 0xF0) {
        n = 3;
        if (u[0] == 0xE0) {
            lo = 0xA0;          /* overlong */
        }
        else if (u[0] == 0xED) {
            hi = 0x9F;          /* surrogates */
        }
    }
    else if (u[0] < 0xF5) {
        n = 4;
        if (u[0] == 0xF0) {
            lo = 0x90;          /* overlong */
        }
        else if (u[0] == 0xF4) {
            hi = 0x8F;          /* beyond U+10FFFF */
        }
    }
    else {
        return 0;
    }
    if (len < n || u[1] < lo || u[1] > hi) {
        return 0;
    }
    for (i = 2; i < n; i++) {
        if (u[i] < 0x80 || u[i] > 0xBF) {
            return 0;
        }
    }
    return n;
}

int abtc_utf8_valid(const char *s, apr_size_t len)
{
    while (len > 0) {
        apr_size_t n = abtc_utf8_seq_len(s, len);

        if (n == 0) {
            return 0;
        }
        s += n;
        len -= n;
    }
    return 1;
}
