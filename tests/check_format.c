/* check_format: validators and normalisers of the API's value formats. */

#include <string.h>

#include <apr_strings.h>

#include "check_abtc.h"
#include "abtc_format.h"

/* A normaliser's result against the expected one (NULL = refused). */
#define CHECK_NORM(fn_call, in, expected)                                   \
    do {                                                                    \
        const char *got_ = (fn_call);                                       \
        if ((expected) == NULL) {                                           \
            ck_assert_msg(got_ == NULL, "\"%s\" accepted as \"%s\"",        \
                          (in), got_);                                      \
        }                                                                   \
        else {                                                              \
            ck_assert_msg(got_ != NULL, "\"%s\" refused", (in));            \
            ck_assert_str_eq(got_, (expected));                             \
        }                                                                   \
    } while (0)

static const struct {
    const char *s;
    apr_int64_t min;
    apr_int64_t max;
    int ok;
    apr_int64_t value;
} int_cases[] = {
    {"0", 0, 100, 1, 0},
    {"42", 0, 100, 1, 42},
    {"-1", -10, 10, 1, -1},
    {"100", 0, 100, 1, 100},
    {"101", 0, 100, 0, 0},
    {"0", 1, 100, 0, 0},
    {"1", 1, 100, 1, 1},
    {"9223372036854775807", APR_INT64_MIN, APR_INT64_MAX, 1, APR_INT64_MAX},
    {"-9223372036854775808", APR_INT64_MIN, APR_INT64_MAX, 1, APR_INT64_MIN},
    /* out of range is refused, never saturated */
    {"9223372036854775808", APR_INT64_MIN, APR_INT64_MAX, 0, 0},
    {"-9223372036854775809", APR_INT64_MIN, APR_INT64_MAX, 0, 0},
    {"18446744073709551616", APR_INT64_MIN, APR_INT64_MAX, 0, 0},
    {"99999999999999999999999", APR_INT64_MIN, APR_INT64_MAX, 0, 0},
    {"+1", 0, 100, 0, 0},
    {" 1", 0, 100, 0, 0},
    {"1 ", 0, 100, 0, 0},
    {"01", 0, 100, 0, 0},
    {"00", 0, 100, 0, 0},
    {"-0", -10, 10, 0, 0},
    {"", 0, 100, 0, 0},
    {"-", -10, 100, 0, 0},
    {"1e3", 0, 10000, 0, 0},
    {"1.0", 0, 100, 0, 0},
    {"0x10", 0, 100, 0, 0},
    {"12abc", 0, 100, 0, 0},
    {NULL, 0, 100, 0, 0},
};

START_TEST(test_int_parse)
{
    apr_int64_t v = -12345;
    int ok;

    ok = abtc_int_parse(int_cases[_i].s, int_cases[_i].min,
                        int_cases[_i].max, &v);
    ck_assert_msg(ok == int_cases[_i].ok, "\"%s\": got %d",
                  int_cases[_i].s, ok);
    if (ok) {
        ck_assert(v == int_cases[_i].value);
    }
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} date_cases[] = {
    {"2023-02-28", "2023-02-28"},
    {"2023-02-29", NULL},
    {"2024-02-29", "2024-02-29"},
    {"2023-02-30", NULL},
    {"2000-02-29", "2000-02-29"},
    {"1900-02-29", NULL},
    {"2023-04-30", "2023-04-30"},
    {"2023-04-31", NULL},
    {"2023-12-31", "2023-12-31"},
    {"2002-10-29", "2002-10-29"},
    {"0001-01-01", "0001-01-01"},
    {"9999-12-31", "9999-12-31"},
    {"0000-01-01", NULL},
    {"2023-13-01", NULL},
    {"2023-00-10", NULL},
    {"2023-01-00", NULL},
    {"2023-01-32", NULL},
    {"2023-2-1", NULL},
    {"2023-02-1", NULL},
    {"23-02-01", NULL},
    {"2023/02/01", NULL},
    {"20230201", NULL},
    {" 2023-02-01", NULL},
    {"2023-02-01 ", NULL},
    {"2023-02-01T00:00:00", NULL},
    {"2023-01-1a", NULL},
    {"", NULL},
    {NULL, NULL},
};

START_TEST(test_date)
{
    CHECK_NORM(abtc_date_normalize(abtc_test_pool, date_cases[_i].in),
               date_cases[_i].in, date_cases[_i].out);
}
END_TEST

static const struct {
    const char *in;
    int allow_date_only;
    const char *out;
    int date_only;
} datetime_cases[] = {
    /* every spelling D7 and the seed's examples use */
    {"2022-08-04 15:01:00.000", 0, "2022-08-04T15:01:00.000", 0},
    {"2029-03-22T09:00:00", 0, "2029-03-22T09:00:00", 0},
    {"2025-04-20T17:05:52.000+02:00", 0, "2025-04-20T17:05:52.000+02:00", 0},
    {"2025-04-20T17:05:52.000Z", 0, "2025-04-20T17:05:52.000Z", 0},
    {"2023-02-01 00:00:00", 0, "2023-02-01T00:00:00", 0},
    {"2023-10-20T17:05:52.000", 0, "2023-10-20T17:05:52.000", 0},
    {"2020-12-31T23:59:59", 0, "2020-12-31T23:59:59", 0},
    {"2020-01-01T00:00:00", 1, "2020-01-01T00:00:00", 0},
    {"2023-10-20T17:05:52.123456-05:30", 0,
     "2023-10-20T17:05:52.123456-05:30", 0},
    {"2023-10-20T17:05:52.5Z", 0, "2023-10-20T17:05:52.5Z", 0},
    {"2023-10-20T17:05", 0, "2023-10-20T17:05:00", 0},
    {"2023-10-20 17:05Z", 0, "2023-10-20T17:05:00Z", 0},
    {"2023-10-20t17:05:00z", 0, "2023-10-20T17:05:00Z", 0},
    {"2023-10-20T17:05:00+0200", 0, "2023-10-20T17:05:00+02:00", 0},
    {"2023-10-20T17:05:00-0330", 0, "2023-10-20T17:05:00-03:30", 0},
    {"2023-10-20T17:05:00-02", 0, "2023-10-20T17:05:00-02:00", 0},
    {"2023-10-20T17:05:00+00:00", 0, "2023-10-20T17:05:00+00:00", 0},
    {"2023-10-20T17:05:00+15:59", 0, "2023-10-20T17:05:00+15:59", 0},
    {"2016-12-31T23:59:60Z", 0, "2016-12-31T23:59:60Z", 0},
    {"2024-02-29T12:00:00", 0, "2024-02-29T12:00:00", 0},
    /* a bare date, only where allowed */
    {"2023-01-01", 1, "2023-01-01T00:00:00", 1},
    {"2023-01-01", 0, NULL, 0},
    {"2023-02-29", 1, NULL, 0},
    /* 7-9 fraction digits (.NET) are cut to microseconds */
    {"2023-01-01T00:00:00.1234567+02:00", 0,
     "2023-01-01T00:00:00.123456+02:00", 0},
    /* refused */
    {"yesterday", 1, NULL, 0},
    {"2023-02-30T00:00:00", 0, NULL, 0},
    {"2023-01-01T24:00:00", 0, NULL, 0},
    {"2023-01-01T12:60:00", 0, NULL, 0},
    {"2023-01-01T12:00:61", 0, NULL, 0},
    {"2023-01-01T00:00:00.1234567890", 0, NULL, 0},
    {"2023-01-01T00:00:00.", 0, NULL, 0},
    {"2023-01-01T00:00.5", 0, NULL, 0},
    {"2023-01-01T", 0, NULL, 0},
    {"2023-01-01T0:00", 0, NULL, 0},
    {"2023-01-01T00", 0, NULL, 0},
    {"2023-01-01  00:00", 0, NULL, 0},
    {"2023-01-01X00:00", 0, NULL, 0},
    {"2023-01-01T00:00:00 ", 0, NULL, 0},
    {"2023-01-01T00:00:00+2", 0, NULL, 0},
    {"2023-01-01T00:00:00+02:0", 0, NULL, 0},
    {"2023-01-01T00:00:00+02:60", 0, NULL, 0},
    {"2023-01-01T00:00:00+18:01", 0, NULL, 0},
    /* beyond what PostgreSQL reads, and outside years 1900-9998 */
    {"2023-01-01T00:00:00+16:00", 0, NULL, 0},
    {"0001-01-01T00:00:00Z", 0, NULL, 0},
    {"1899-12-31T23:59:59Z", 0, NULL, 0},
    {"9999-12-31T23:59:59Z", 0, NULL, 0},
    {"1900-01-01T00:00:00Z", 0, "1900-01-01T00:00:00Z", 0},
    {"9998-12-31T23:59:59", 0, "9998-12-31T23:59:59", 0},
    {"2023-01-01T00:00:00+19", 0, NULL, 0},
    {"2023-01-01T00:00:00ZZ", 0, NULL, 0},
    {"2023-01-01T00:00:00+02:00Z", 0, NULL, 0},
    {"2023-1-01T00:00:00", 0, NULL, 0},
    {"", 1, NULL, 0},
    {NULL, 1, NULL, 0},
};

START_TEST(test_datetime)
{
    int date_only = -1;

    CHECK_NORM(abtc_datetime_normalize(abtc_test_pool, datetime_cases[_i].in,
                                       datetime_cases[_i].allow_date_only,
                                       &date_only),
               datetime_cases[_i].in, datetime_cases[_i].out);
    ck_assert_int_eq(date_only, datetime_cases[_i].date_only);
    /* the out parameter is optional */
    abtc_datetime_normalize(abtc_test_pool, datetime_cases[_i].in, 1, NULL);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} iban_cases[] = {
    {"NL91ABNA0417164300", "NL91ABNA0417164300"},
    {"NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"},
    {"nl91abna0417164300", "NL91ABNA0417164300"},
    {" nl91 abna 0417 1643 00 ", "NL91ABNA0417164300"},
    {"DE89370400440532013000", "DE89370400440532013000"},
    {"DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},
    {"BE68539007547034", "BE68539007547034"},
    {"FR1420041010050500013M02606", "FR1420041010050500013M02606"},
    {"fr14 2004 1010 0505 0001 3m02 606", "FR1420041010050500013M02606"},
    {"GB29NWBK60161331926819", "GB29NWBK60161331926819"},
    {"ES9121000418450200051332", "ES9121000418450200051332"},
    {"IT60X0542811101000000123456", "IT60X0542811101000000123456"},
    {"CH9300762011623852957", "CH9300762011623852957"},
    {"AT611904300234573201", "AT611904300234573201"},
    {"NO9386011117947", "NO9386011117947"},
    {"PL61109010140000071219812874", "PL61109010140000071219812874"},
    {"PT50000201231234567890154", "PT50000201231234567890154"},
    {"MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S"},
    {"LC55HEMM000100010012001200023015", "LC55HEMM000100010012001200023015"},
    {"DK5000400440116243", "DK5000400440116243"},
    {"NL02ABNA0417164350", "NL02ABNA0417164350"},
    {"NL98ABNA0417164368", "NL98ABNA0417164368"},
    /* wrong check digits */
    {"NL92ABNA0417164300", NULL},
    {"NL91ABNA0417164301", NULL},
    {"DE88370400440532013000", NULL},
    {"GB28NWBK60161331926819", NULL},
    {"FR1420041010050500013M02607", NULL},
    /* 01 and 99 pass mod 97 as aliases of 98 and 02, but are not issued */
    {"NL01ABNA0417164368", NULL},
    {"NL99ABNA0417164350", NULL},
    /* wrong length for the country */
    {"NL91ABNA041716430", NULL},
    {"NL91ABNA04171643000", NULL},
    {"BE6853900754703", NULL},
    /* unknown country */
    {"XX91ABNA0417164300", NULL},
    {"US64SVBKUS6S3300958879", NULL},
    /* not an IBAN at all */
    {"NL91-ABNA-0417-1643-00", NULL},
    {"NL91\tABNA0417164300", NULL},
    {"NLABABNA0417164300", NULL},
    {"9191ABNA0417164300", NULL},
    {"NL91ABNA041716430\xC3\xA9", NULL},
    {"NL91ABNA0417164300NL91ABNA0417164300", NULL},
    {"NL", NULL},
    {"", NULL},
    {"   ", NULL},
    {NULL, NULL},
};

START_TEST(test_iban)
{
    CHECK_NORM(abtc_iban_normalize(abtc_test_pool, iban_cases[_i].in),
               iban_cases[_i].in, iban_cases[_i].out);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} bic_cases[] = {
    {"ABNANL2A", "ABNANL2A"},
    {"abnanl2a", "ABNANL2A"},
    {"DEUTDEFF500", "DEUTDEFF500"},
    {"deutdeff500", "DEUTDEFF500"},
    {"RABONL2UXXX", "RABONL2UXXX"},
    {"INGBNL2A", "INGBNL2A"},
    {"ABNANL2", NULL},
    {"ABNANL2AX", NULL},
    {"ABNANL2AXX", NULL},
    {"ABNANL2AXXXX", NULL},
    {"ABN1NL2A", NULL},
    {"ABNAN12A", NULL},
    {"ABNANL2!", NULL},
    {"ABNANL2A 12", NULL},
    {"ABNA NL2A", NULL},
    {"", NULL},
    {NULL, NULL},
};

START_TEST(test_bic)
{
    CHECK_NORM(abtc_bic_normalize(abtc_test_pool, bic_cases[_i].in),
               bic_cases[_i].in, bic_cases[_i].out);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} country_cases[] = {
    {"NL", "NL"},
    {"nl", "NL"},
    {"Nl", "NL"},
    {"BE", "BE"},
    {"DE", "DE"},
    {"GB", "GB"},
    {"AD", "AD"},
    {"ZW", "ZW"},
    {"AX", "AX"},
    {"XX", NULL},
    {"NLD", NULL},
    {"N", NULL},
    {"UK", NULL},
    {"EU", NULL},
    {"AA", NULL},
    {"XK", NULL},
    {"1A", NULL},
    {"N ", NULL},
    {"", NULL},
    {NULL, NULL},
};

START_TEST(test_country)
{
    CHECK_NORM(abtc_country_normalize(abtc_test_pool, country_cases[_i].in),
               country_cases[_i].in, country_cases[_i].out);
}
END_TEST

static const struct {
    const char *in;
    const char *country;
    const char *out;
} postcode_cases[] = {
    {"1234AB", "NL", "1234AB"},
    {"1234 ab", "NL", "1234AB"},
    {"1234 AB", NULL, "1234AB"},
    {"1234ab", "nl", "1234AB"},
    {"0000AA", "NL", "0000AA"},
    {"2500AA", "NL", "2500AA"},
    {" 4455CA ", "NL", "4455CA"},
    {"1234  AB", "NL", NULL},
    {"123AB", "NL", NULL},
    {"12345AB", "NL", NULL},
    {"1234ABC", "NL", NULL},
    {"1234A", "NL", NULL},
    {"1234-AB", "NL", NULL},
    {"12 34AB", "NL", NULL},
    {"ABCD12", "NL", NULL},
    {"1234\xC3\x89" "B", "NL", NULL},
    {"", "NL", NULL},
    {"  ", NULL, NULL},
    {"sw1a 1aa", "GB", "SW1A 1AA"},
    {"10115", "DE", "10115"},
    {"1000", "BE", "1000"},
    {"AD500", "AD", "AD500"},
    {"12-345", "PL", "12-345"},
    {"12345678901", "DE", NULL},
    {"75001!", "FR", NULL},
    {"\xC3\xA9", "DE", NULL},
    {"", "DE", NULL},
    {NULL, "NL", NULL},
};

START_TEST(test_postcode)
{
    CHECK_NORM(abtc_postcode_normalize(abtc_test_pool, postcode_cases[_i].in,
                                       postcode_cases[_i].country),
               postcode_cases[_i].in, postcode_cases[_i].out);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} phone_cc_cases[] = {
    {"+31", "+31"},
    {"0031", "+31"},
    {"31", "+31"},
    {"+1", "+1"},
    {"1", "+1"},
    {"+358", "+358"},
    {"00358", "+358"},
    {"+0", NULL},
    {"0", NULL},
    {"031", NULL},
    {"+031", NULL},
    {"abc", NULL},
    {"+", NULL},
    {"00", NULL},
    {"+3512", NULL},
    {"+31 ", NULL},
    {" +31", NULL},
    {"++31", NULL},
    {"+3a", NULL},
    {"", NULL},
    {NULL, NULL},
};

START_TEST(test_phone_cc)
{
    CHECK_NORM(abtc_phone_cc_normalize(abtc_test_pool, phone_cc_cases[_i].in),
               phone_cc_cases[_i].in, phone_cc_cases[_i].out);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
    const char *digits;
} phone_cases[] = {
    /* kept exactly as sent: no trunk 0 added or removed (#26) */
    {"0612345678", "0612345678", "0612345678"},
    {"3112345678", "3112345678", "3112345678"},
    {"0701112233", "0701112233", "0701112233"},
    {"06-12345678", "06-12345678", "0612345678"},
    {"06 1234 5678", "06 1234 5678", "0612345678"},
    {"070 111-22 33", "070 111-22 33", "0701112233"},
    {"1", "1", "1"},
    {"12345678901234567890", "12345678901234567890", NULL},
    {"1234567890 1234567890", "1234567890 1234567890", NULL},
    {"123456789012345678901", NULL, NULL},
    {"", NULL, NULL},
    {" 0612", NULL, NULL},
    {"0612 ", NULL, NULL},
    {"-0612", NULL, NULL},
    {"06  12", NULL, NULL},
    {"06- 12", NULL, NULL},
    {"06--12", NULL, NULL},
    {"+31612345678", NULL, NULL},
    {"06.1234", NULL, NULL},
    {"06a", NULL, NULL},
    {"(06)1234", NULL, NULL},
    {NULL, NULL, NULL},
};

START_TEST(test_phone_number)
{
    CHECK_NORM(abtc_phone_number_normalize(abtc_test_pool,
                                           phone_cases[_i].in),
               phone_cases[_i].in, phone_cases[_i].out);
    if (phone_cases[_i].digits) {
        ck_assert_str_eq(abtc_phone_digits(abtc_test_pool,
                                           phone_cases[_i].in),
                         phone_cases[_i].digits);
    }
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} uuid_cases[] = {
    {"123e4567-e89b-12d3-a456-426614174000",
     "123e4567-e89b-12d3-a456-426614174000"},
    {"123E4567-E89B-12D3-A456-426614174000",
     "123e4567-e89b-12d3-a456-426614174000"},
    {"00000000-0000-0000-0000-000000000000",
     "00000000-0000-0000-0000-000000000000"},
    {"123e4567e89b12d3a456426614174000", NULL},
    {"123e4567-e89b-12d3-a456-42661417400", NULL},
    {"123e4567-e89b-12d3-a456-4266141740000", NULL},
    {"123e4567-e89b-12d3-a456-42661417400g", NULL},
    {"123e4567-e89b-12d3a-456-426614174000", NULL},
    {"{123e4567-e89b-12d3-a456-426614174000}", NULL},
    {"urn:uuid:123e4567-e89b-12d3-a456-426614174000", NULL},
    {"", NULL},
    {NULL, NULL},
};

START_TEST(test_uuid)
{
    CHECK_NORM(abtc_uuid_normalize(abtc_test_pool, uuid_cases[_i].in),
               uuid_cases[_i].in, uuid_cases[_i].out);
}
END_TEST

START_TEST(test_uuid_v4)
{
    const char *seen[32];
    int i, j;

    for (i = 0; i < ABTC_NELEMS(seen); i++) {
        const char *u = abtc_uuid_v4(abtc_test_pool);

        ck_assert_ptr_nonnull(u);
        /* lower case already, so normalising leaves it as it is */
        ck_assert_str_eq(abtc_uuid_normalize(abtc_test_pool, u), u);
        ck_assert_int_eq(u[14], '4');
        ck_assert_ptr_nonnull(strchr("89ab", u[19]));
        for (j = 0; j < i; j++) {
            ck_assert_str_ne(seen[j], u);
        }
        seen[i] = u;
    }
}
END_TEST

static const struct {
    const char *in;
    int ok;
} email_cases[] = {
    {"TEST@HTM.NL", 1},
    {"a@b.co", 1},
    {"first.last+tag@sub.example.com", 1},
    {"o'brien@example.ie", 1},
    {"jos\xC3\xA9@example.nl", 1},
    {"user@xn--bcher-kva.example", 1},
    {"a@1.2.3.4", 1},
    {"a@b", 0},
    {"@b.nl", 0},
    {"a@", 0},
    {"a", 0},
    {"a@@b.nl", 0},
    {"a@b@c.nl", 0},
    {"a b@c.nl", 0},
    {"a@b c.nl", 0},
    {" a@b.nl", 0},
    {"a@b.nl ", 0},
    {"a\t@b.nl", 0},
    {"a\x7f@b.nl", 0},
    {"a@-b.nl", 0},
    {"a@b-.nl", 0},
    {"a@b..nl", 0},
    {"a@.b.nl", 0},
    {"a@b.nl.", 0},
    {"a@b_c.nl", 0},
    {"a@b\xC3\xA9.nl", 0},
    {"\xFF@b.nl", 0},
    {"\xC3@b.nl", 0},
    {"", 0},
    {NULL, 0},
};

START_TEST(test_email)
{
    const char *in = email_cases[_i].in;

    CHECK_NORM(abtc_email_normalize(abtc_test_pool, in), in,
               email_cases[_i].ok ? in : NULL);
}
END_TEST

static char *repeat(apr_pool_t *p, char c, int n)
{
    char *s = apr_palloc(p, (apr_size_t)n + 1);

    memset(s, c, (apr_size_t)n);
    s[n] = '\0';
    return s;
}

/* "a@" and a domain of dot-separated labels making len bytes in all. */
static const char *email_of_length(apr_pool_t *p, int len)
{
    const char *domain = "";
    int left = len - 2;

    while (left > 52) {
        domain = apr_pstrcat(p, domain, repeat(p, 'd', 49), ".", NULL);
        left -= 50;
    }
    return apr_pstrcat(p, "a@", domain, repeat(p, 'd', left), NULL);
}

START_TEST(test_email_lengths)
{
    apr_pool_t *p = abtc_test_pool;
    const char *s;

    s = apr_pstrcat(p, repeat(p, 'l', 64), "@b.nl", NULL);
    ck_assert_ptr_nonnull(abtc_email_normalize(p, s));
    s = apr_pstrcat(p, repeat(p, 'l', 65), "@b.nl", NULL);
    ck_assert_ptr_null(abtc_email_normalize(p, s));
    s = apr_pstrcat(p, "a@", repeat(p, 'x', 63), ".nl", NULL);
    ck_assert_ptr_nonnull(abtc_email_normalize(p, s));
    s = apr_pstrcat(p, "a@", repeat(p, 'x', 64), ".nl", NULL);
    ck_assert_ptr_null(abtc_email_normalize(p, s));
    s = email_of_length(p, 254);
    ck_assert_int_eq(strlen(s), 254);
    ck_assert_ptr_nonnull(abtc_email_normalize(p, s));
    s = email_of_length(p, 255);
    ck_assert_int_eq(strlen(s), 255);
    ck_assert_ptr_null(abtc_email_normalize(p, s));
}
END_TEST

static const struct {
    const char *in;
    apr_size_t len;
    int ok;
} utf8_cases[] = {
    {"", 0, 1},
    {"plain", 5, 1},
    {"\xC3\xA9", 2, 1},
    {"\xE2\x82\xAC", 3, 1},
    {"\xF0\x9F\x98\x80", 4, 1},
    {"\xEF\xBF\xBF", 3, 1},               /* U+FFFF: a noncharacter, valid */
    {"\xF4\x8F\xBF\xBF", 4, 1},           /* U+10FFFF */
    {"a\0b", 3, 1},                       /* NUL is valid UTF-8 */
    {"\xC3", 1, 0},                       /* truncated */
    {"\xC3\xA9", 1, 0},                   /* truncated by len */
    {"\xF0\x9F\x98", 3, 0},
    {"\x80", 1, 0},                       /* stray continuation */
    {"\xC0\x80", 2, 0},                   /* overlong NUL */
    {"\xC1\xBF", 2, 0},
    {"\xE0\x9F\xBF", 3, 0},               /* overlong */
    {"\xF0\x8F\xBF\xBF", 4, 0},           /* overlong */
    {"\xED\xA0\x80", 3, 0},               /* surrogate U+D800 */
    {"\xED\xBF\xBF", 3, 0},               /* surrogate U+DFFF */
    {"\xF4\x90\x80\x80", 4, 0},           /* U+110000 */
    {"\xF5\x80\x80\x80", 4, 0},
    {"\xFE", 1, 0},
    {"\xFF", 1, 0},
    {"\xC3\x28", 2, 0},
};

START_TEST(test_utf8)
{
    ck_assert_int_eq(abtc_utf8_valid(utf8_cases[_i].in, utf8_cases[_i].len),
                     utf8_cases[_i].ok);
}
END_TEST

Suite *suite_format(void)
{
    Suite *s = suite_create("format");
    TCase *tc;

    tc = abtc_tcase(s, "int");
    tcase_add_loop_test(tc, test_int_parse, 0, ABTC_NELEMS(int_cases));
    tc = abtc_tcase(s, "date");
    tcase_add_loop_test(tc, test_date, 0, ABTC_NELEMS(date_cases));
    tcase_add_loop_test(tc, test_datetime, 0, ABTC_NELEMS(datetime_cases));
    tc = abtc_tcase(s, "bank");
    tcase_add_loop_test(tc, test_iban, 0, ABTC_NELEMS(iban_cases));
    tcase_add_loop_test(tc, test_bic, 0, ABTC_NELEMS(bic_cases));
    tc = abtc_tcase(s, "address");
    tcase_add_loop_test(tc, test_country, 0, ABTC_NELEMS(country_cases));
    tcase_add_loop_test(tc, test_postcode, 0, ABTC_NELEMS(postcode_cases));
    tc = abtc_tcase(s, "phone");
    tcase_add_loop_test(tc, test_phone_cc, 0, ABTC_NELEMS(phone_cc_cases));
    tcase_add_loop_test(tc, test_phone_number, 0, ABTC_NELEMS(phone_cases));
    tc = abtc_tcase(s, "uuid");
    tcase_add_loop_test(tc, test_uuid, 0, ABTC_NELEMS(uuid_cases));
    tcase_add_test(tc, test_uuid_v4);
    tc = abtc_tcase(s, "email");
    tcase_add_loop_test(tc, test_email, 0, ABTC_NELEMS(email_cases));
    tcase_add_test(tc, test_email_lengths);
    tc = abtc_tcase(s, "utf8");
    tcase_add_loop_test(tc, test_utf8, 0, ABTC_NELEMS(utf8_cases));
    return s;
}
