/* check_query: the query-string parser, list splitting and escaping. */

#include <string.h>

#include <apr_strings.h>

#include "check_abtc.h"
#include "abtc_query.h"

/* Parsed parameters as "{name}{value}" pairs, in order. */
static const char *params_str(apr_pool_t *p, apr_array_header_t *params)
{
    const char *s = "";
    int i;

    for (i = 0; i < params->nelts; i++) {
        abtc_param_t *param = &APR_ARRAY_IDX(params, i, abtc_param_t);

        s = apr_pstrcat(p, s, "{", param->name, "}{", param->value, "}",
                        NULL);
    }
    return s;
}

static const struct {
    const char *qs;
    const char *expected;
} parse_ok[] = {
    {NULL, ""},
    {"", ""},
    {"&", ""},
    {"a=1", "{a}{1}"},
    /* '+' is a space (form encoding); a plus sign is %2B */
    {"phoneCountryCode=%2B31", "{phoneCountryCode}{+31}"},
    {"q=a+b", "{q}{a b}"},
    {"t=2022-08-04+15:01:00.000", "{t}{2022-08-04 15:01:00.000}"},
    {"q=%2B31", "{q}{+31}"},
    {"q=%2b%2f", "{q}{+/}"},
    {"q=a%20b", "{q}{a b}"},
    {"q=%25", "{q}{%}"},
    {"q=%26%3D", "{q}{&=}"},
    /* repeated names are all kept, in order */
    {"a=1&a=2&b=3&a=4", "{a}{1}{a}{2}{b}{3}{a}{4}"},
    {"a=1&&b=2&", "{a}{1}{b}{2}"},
    {"&&a=1", "{a}{1}"},
    {"flag", "{flag}{}"},
    {"flag=", "{flag}{}"},
    {"a=b=c", "{a}{b=c}"},
    {"n%61me=v", "{name}{v}"},
    {"sort=a,-b&offset=0", "{sort}{a,-b}{offset}{0}"},
    /* valid UTF-8, encoded or raw */
    {"city=%C3%A9", "{city}{\xC3\xA9}"},
    {"city=\xC3\xA9", "{city}{\xC3\xA9}"},
    {"e=%F0%9F%98%80", "{e}{\xF0\x9F\x98\x80}"},
    {"e=%E2%82%AC", "{e}{\xE2\x82\xAC}"},
    {"%C3%A9=1", "{\xC3\xA9}{1}"},
    {"a=%C2%A0", "{a}{\xC2\xA0}"},
};

START_TEST(test_parse_ok)
{
    apr_array_header_t *params = NULL;
    const char *name = NULL, *reason = NULL;
    apr_status_t rv;

    rv = abtc_query_parse(abtc_test_pool, parse_ok[_i].qs, &params, &name,
                          &reason);
    ck_assert_msg(rv == APR_SUCCESS, "%s: %s (%s)", parse_ok[_i].qs,
                  reason, name);
    ck_assert_str_eq(params_str(abtc_test_pool, params),
                     parse_ok[_i].expected);
}
END_TEST

static const struct {
    const char *qs;
    const char *name;
    const char *reason;
} parse_bad[] = {
    {"a=%zz", "a", "invalid percent-escape"},
    {"a=1%", "a", "invalid percent-escape"},
    {"a=%4", "a", "invalid percent-escape"},
    {"a=%4g", "a", "invalid percent-escape"},
    {"a=%%41", "a", "invalid percent-escape"},
    {"b=1&a%zz=1", "a%zz", "invalid percent-escape"},
    {"a%=1", "a%", "invalid percent-escape"},
    {"a=%00", "a", "NUL or control character"},
    {"a=x%00y", "a", "NUL or control character"},
    {"%00=1", "%00", "NUL or control character"},
    {"a=%0A", "a", "NUL or control character"},
    {"a=%0d%0a", "a", "NUL or control character"},
    {"a=%09", "a", "NUL or control character"},
    {"a=%7F", "a", "NUL or control character"},
    {"a=x\ty", "a", "NUL or control character"},
    {"a=%C2%85", "a", "NUL or control character"},
    /* raw bytes in the name are shown escaped */
    {"a\x01" "b=1", "a%01b", "NUL or control character"},
    {"a=%C3", "a", "invalid UTF-8"},
    {"a=%C3%28", "a", "invalid UTF-8"},
    {"a=%C0%AF", "a", "invalid UTF-8"},
    {"a=%E0%80%AF", "a", "invalid UTF-8"},
    {"a=%ED%A0%80", "a", "invalid UTF-8"},
    {"a=%F4%90%80%80", "a", "invalid UTF-8"},
    {"a=%FF", "a", "invalid UTF-8"},
    {"a=%80", "a", "invalid UTF-8"},
    {"a=\xFF", "a", "invalid UTF-8"},
    {"\xFF=1", "%FF", "invalid UTF-8"},
    {"=1", "", "empty parameter name"},
    {"=", "", "empty parameter name"},
    {"a=1&=x", "", "empty parameter name"},
};

START_TEST(test_parse_bad)
{
    apr_array_header_t *params = NULL;
    const char *name = NULL, *reason = NULL;
    apr_status_t rv;

    rv = abtc_query_parse(abtc_test_pool, parse_bad[_i].qs, &params, &name,
                          &reason);
    ck_assert_msg(rv == APR_EINVAL, "accepted: %s", parse_bad[_i].qs);
    ck_assert_ptr_nonnull(name);
    ck_assert_ptr_nonnull(reason);
    ck_assert_str_eq(name, parse_bad[_i].name);
    ck_assert_str_eq(reason, parse_bad[_i].reason);
}
END_TEST

/* A long name is cut in the error, so a problem body stays small. */
START_TEST(test_parse_long_name)
{
    char raw[205], shown[68];
    apr_array_header_t *params = NULL;
    const char *name = NULL, *reason = NULL;

    memset(raw, 'x', 200);
    memcpy(raw + 200, "=%zz", 5);
    memset(shown, 'x', 64);
    memcpy(shown + 64, "...", 4);
    ck_assert_int_eq(abtc_query_parse(abtc_test_pool, raw, &params, &name,
                                      &reason), APR_EINVAL);
    ck_assert_str_eq(name, shown);
}
END_TEST

/* Items joined with '|'; NULL for an error. */
static const struct {
    const char *value;
    const char *expected;
} split_cases[] = {
    {"1,2, 3", "1|2|3"},
    {"a", "a"},
    {" a ", "a"},
    {"a b,c", "a b|c"},
    {"-created,customerProfileId", "-created|customerProfileId"},
    {"1,,2", NULL},
    {"1,", NULL},
    {",1", NULL},
    {"1, ,2", NULL},
    {"", NULL},
    {" ", NULL},
    {",", NULL},
    {NULL, NULL},
};

START_TEST(test_split_list)
{
    apr_array_header_t *items;
    const char *joined;

    items = abtc_query_split_list(abtc_test_pool, split_cases[_i].value);
    if (split_cases[_i].expected == NULL) {
        ck_assert_msg(items == NULL, "accepted: \"%s\"",
                      split_cases[_i].value);
        return;
    }
    ck_assert_msg(items != NULL, "refused: \"%s\"", split_cases[_i].value);
    joined = apr_array_pstrcat(abtc_test_pool, items, '|');
    ck_assert_str_eq(joined, split_cases[_i].expected);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} escape_cases[] = {
    {"", ""},
    {"abcXYZ019-._~", "abcXYZ019-._~"},
    {"a b", "a%20b"},
    {"+31", "%2B31"},
    {"a&b=c", "a%26b%3Dc"},
    {"100%", "100%25"},
    {"a/b?c#d", "a%2Fb%3Fc%23d"},
    {"\xC3\xA9", "%C3%A9"},
    {"\xF0\x9F\x98\x80", "%F0%9F%98%80"},
};

START_TEST(test_escape)
{
    ck_assert_str_eq(abtc_query_escape(abtc_test_pool, escape_cases[_i].in),
                     escape_cases[_i].out);
}
END_TEST

/* escape() then parse() gives back the value, whatever it holds. */
static const char *const roundtrip_values[] = {
    "", "plain", "+31 6 1234 5678", "a&b=c;d", "%2B", "100% sure",
    "Den BOSCH", "caf\xC3\xA9", "\xF0\x9F\x98\x80 emoji", "a,b,c",
    "~!*'()[]", "5\xE2\x82\xAC",
};

START_TEST(test_escape_roundtrip)
{
    const char *v = roundtrip_values[_i];
    apr_array_header_t *params = NULL;
    const char *name = NULL, *reason = NULL, *qs;

    const char *e = abtc_query_escape(abtc_test_pool, v);

    /* as a value, and as a name where it is not empty */
    qs = apr_pstrcat(abtc_test_pool, "x=", e, *v ? "&" : "", *v ? e : "",
                     *v ? "=y" : "", NULL);
    ck_assert_int_eq(abtc_query_parse(abtc_test_pool, qs, &params, &name,
                                      &reason), APR_SUCCESS);
    ck_assert_str_eq(APR_ARRAY_IDX(params, 0, abtc_param_t).value, v);
    if (*v != '\0') {
        ck_assert_int_eq(params->nelts, 2);
        ck_assert_str_eq(APR_ARRAY_IDX(params, 1, abtc_param_t).name, v);
    }
}
END_TEST

Suite *suite_query(void)
{
    Suite *s = suite_create("query");
    TCase *tc;

    tc = abtc_tcase(s, "parse");
    tcase_add_loop_test(tc, test_parse_ok, 0, ABTC_NELEMS(parse_ok));
    tcase_add_loop_test(tc, test_parse_bad, 0, ABTC_NELEMS(parse_bad));
    tcase_add_test(tc, test_parse_long_name);
    tc = abtc_tcase(s, "split_list");
    tcase_add_loop_test(tc, test_split_list, 0, ABTC_NELEMS(split_cases));
    tc = abtc_tcase(s, "escape");
    tcase_add_loop_test(tc, test_escape, 0, ABTC_NELEMS(escape_cases));
    tcase_add_loop_test(tc, test_escape_roundtrip, 0,
                        ABTC_NELEMS(roundtrip_values));
    return s;
}
