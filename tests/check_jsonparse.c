/* check_jsonparse: the strict JSON parser. */

#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include "check_abtc.h"
#include "abtc_jsonparse.h"

#define SERIAL_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static json_object *parse(const char *s, int max_depth, const char **err)
{
    return abtc_json_parse(abtc_test_pool, s, strlen(s), max_depth, err);
}

/* Valid documents: the type of the root and its compact serialisation. */
static const struct {
    const char *in;
    json_type type;
    const char *out;
} valid_cases[] = {
    {"{}", json_type_object, "{}"},
    {"[]", json_type_array, "[]"},
    {" \t\r\n[1]\n", json_type_array, "[1]"},
    {" {\"a\" : 1 , \"b\":[true,false,null],\"c\":{\"d\":\"x\"}} ",
     json_type_object, "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x\"}}"},
    {"{\"phone\":{\"number\":\"0612345678\",\"countryCode\":\"+31\"}}",
     json_type_object,
     "{\"phone\":{\"number\":\"0612345678\",\"countryCode\":\"+31\"}}"},
    {"[[],{},[[]],{\"a\":{}}]", json_type_array, "[[],{},[[]],{\"a\":{}}]"},
    {"\"\"", json_type_string, "\"\""},
    {"\"abc\"", json_type_string, "\"abc\""},
    {"\"a\\\"b\\\\c\\/d\"", json_type_string, "\"a\\\"b\\\\c/d\""},
    {"\"\\b\\f\\n\\r\\t\"", json_type_string, "\"\\b\\f\\n\\r\\t\""},
    {"\"\\u0041\\u00e9\\u20AC\"", json_type_string,
     "\"A\xC3\xA9\xE2\x82\xAC\""},
    {"\"\\ud83d\\ude00\"", json_type_string, "\"\xF0\x9F\x98\x80\""},
    {"\"\xC3\xA9\"", json_type_string, "\"\xC3\xA9\""},
    {"\"\xF0\x9F\x98\x80\"", json_type_string, "\"\xF0\x9F\x98\x80\""},
    {"\"\\u001f\"", json_type_string, "\"\\u001f\""},
    {"\"\x7F\"", json_type_string, "\"\x7F\""},
    {"true", json_type_boolean, "true"},
    {"false", json_type_boolean, "false"},
    {"0", json_type_int, "0"},
    {"123", json_type_int, "123"},
    {"-123", json_type_int, "-123"},
    {"-0", json_type_int, "0"},
    {"9223372036854775807", json_type_int, "9223372036854775807"},
    {"-9223372036854775808", json_type_int, "-9223372036854775808"},
    /* beyond int64: a double that keeps its text, never saturated */
    {"9223372036854775808", json_type_double, "9223372036854775808"},
    {"-9223372036854775809", json_type_double, "-9223372036854775809"},
    {"4048453105891361", json_type_int, "4048453105891361"},
    {"1e5", json_type_double, "1e5"},
    {"1.5", json_type_double, "1.5"},
    {"1.0", json_type_double, "1.0"},
    {"-0.0", json_type_double, "-0.0"},
    {"0.1E-2", json_type_double, "0.1E-2"},
    {"1E+2", json_type_double, "1E+2"},
    {"1e-400", json_type_double, "1e-400"},
    {"[1,2.5,\"3\"]", json_type_array, "[1,2.5,\"3\"]"},
};

START_TEST(test_valid)
{
    const char *err = "unset";
    json_object *o = parse(valid_cases[_i].in, 16, &err);

    ck_assert_msg(err == NULL, "%s: %s", valid_cases[_i].in, err);
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(json_object_get_type(o), valid_cases[_i].type);
    ck_assert_str_eq(json_object_to_json_string_ext(o, SERIAL_FLAGS),
                     valid_cases[_i].out);
}
END_TEST

START_TEST(test_null)
{
    const char *err = "unset";
    json_object *o;

    o = parse("null", 16, &err);
    ck_assert_ptr_null(o);
    ck_assert_ptr_null(err);
    o = parse(" null \n", 0, &err);
    ck_assert_ptr_null(o);
    ck_assert_ptr_null(err);
    o = parse("[null]", 16, &err);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(json_object_array_length(o), 1);
    ck_assert_ptr_null(json_object_array_get_idx(o, 0));
}
END_TEST

START_TEST(test_values)
{
    const char *err;
    json_object *o, *v;

    /* a big integer stays a double with its own text */
    o = parse("{\"n\":9223372036854775808}", 16, &err);
    ck_assert_ptr_null(err);
    ck_assert(json_object_object_get_ex(o, "n", &v));
    ck_assert_int_eq(json_object_get_type(v), json_type_double);
    ck_assert_double_eq(json_object_get_double(v), 9223372036854775808.0);
    ck_assert_str_eq(json_object_to_json_string(v), "9223372036854775808");

    o = parse("1e5", 16, &err);
    ck_assert_ptr_null(err);
    ck_assert_double_eq(json_object_get_double(o), 100000.0);

    o = parse("-9223372036854775808", 16, &err);
    ck_assert(json_object_get_int64(o) == APR_INT64_MIN);

    o = parse("-0", 16, &err);
    ck_assert_int_eq(json_object_get_int64(o), 0);

    /* a key with an escaped name is found by its decoded spelling */
    o = parse("{\"\\u0069ban\":\"NL91\",\"a\\nb\":true}", 16, &err);
    ck_assert_ptr_null(err);
    ck_assert(json_object_object_get_ex(o, "iban", &v));
    ck_assert_str_eq(json_object_get_string(v), "NL91");
    ck_assert(json_object_object_get_ex(o, "a\nb", NULL));
    ck_assert_int_eq(json_object_object_length(o), 2);
}
END_TEST

/* Invalid documents, with len given so that NUL bytes can be included:
 * the start of the expected message. */
static const struct {
    const char *in;
    apr_size_t len;
    const char *err;
} invalid_cases[] = {
#define S(lit) lit, sizeof(lit) - 1
    {S(""), "unexpected end of input at offset 0"},
    {S("   "), "unexpected end of input at offset 3"},
    {S("{\"a\":1,\"a\":2}"), "duplicate key \"a\" at offset 7"},
    {S("{\"x\":{\"b\":1,\"b\":2}}"), "duplicate key \"b\" at offset 12"},
    {S("[{\"a\":1},{\"a\":1,\"a\":1}]"), "duplicate key \"a\" at offset 16"},
    {S("{\"a\":1,\"\\u0061\":2}"), "duplicate key \"a\" at offset 7"},
    {S("{\"a\":null,\"a\":null}"), "duplicate key \"a\""},
    {S("\"\\u0000\""), "\\u0000 not allowed at offset 1"},
    {S("{\"a\\u0000\":1}"), "\\u0000 not allowed"},
    {S("\"a\x01" "b\""), "control character in string at offset 2"},
    {S("\"a\nb\""), "control character in string at offset 2"},
    {S("\"a\tb\""), "control character in string"},
    {S("\"a\0b\""), "control character in string at offset 2"},
    {S("\"\xFF\""), "invalid UTF-8 at offset 1"},
    {S("\"\xC3\""), "invalid UTF-8 at offset 1"},
    {S("\"\xC0\xAF\""), "invalid UTF-8"},
    {S("\"\xE0\x80\xAF\""), "invalid UTF-8"},
    {S("\"\xED\xA0\x80\""), "invalid UTF-8"},
    {S("\"\xF4\x90\x80\x80\""), "invalid UTF-8"},
    {S("{\"\xC3\x28\":1}"), "invalid UTF-8 at offset 2"},
    {S("\"\\ud800\""), "lone surrogate at offset 1"},
    {S("\"\\udc00\""), "lone surrogate at offset 1"},
    {S("\"\\ud800\\u0041\""), "lone surrogate"},
    {S("\"\\ud800\\ud800\""), "lone surrogate"},
    {S("\"\\ud800x\""), "lone surrogate"},
    {S("\"\\ud83d"), "lone surrogate"},
    {S("\"\\x\""), "invalid escape at offset 1"},
    {S("\"\\'\""), "invalid escape"},
    {S("\"\\u12G4\""), "invalid \\u escape at offset 1"},
    {S("\"\\u12\""), "invalid \\u escape"},
    {S("\"\\u12"), "unexpected end of input"},
    {S("\"\\"), "unexpected end of input"},
    {S("{\"a\":1} x"), "trailing characters at offset 8"},
    {S("[1]]"), "trailing characters at offset 3"},
    {S("1 2"), "trailing characters at offset 2"},
    {S("{}{}"), "trailing characters"},
    {S("[1] // c"), "trailing characters"},
    {S("null x"), "trailing characters"},
    {S("truex"), "trailing characters at offset 4"},
    {S("\"abc"), "unexpected end of input at offset 4"},
    {S("{\"a\":1"), "unexpected end of input at offset 6"},
    {S("{\"a\":"), "unexpected end of input"},
    {S("{\"a\""), "unexpected end of input"},
    {S("{"), "unexpected end of input"},
    {S("["), "unexpected end of input"},
    {S("[1,"), "unexpected end of input"},
    {S("[1,]"), "unexpected character ']' at offset 3"},
    {S("[,1]"), "unexpected character ','"},
    {S("{\"a\":1,}"), "expected a string key at offset 7"},
    {S("{'a':1}"), "expected a string key"},
    {S("{a:1}"), "expected a string key"},
    {S("{1:1}"), "expected a string key"},
    {S("{\"a\" 1}"), "expected ':' at offset 5"},
    {S("{\"a\"=1}"), "expected ':'"},
    {S("[1 2]"), "expected ',' or ']' at offset 3"},
    {S("{\"a\":1 \"b\":2}"), "expected ',' or '}' at offset 7"},
    {S("'a'"), "unexpected character '''"},
    {S("[01]"), "leading zero in number at offset 1"},
    {S("-01"), "leading zero in number"},
    {S("-"), "invalid number at offset 0"},
    {S("-a"), "invalid number"},
    {S("1."), "invalid number"},
    {S("1.e5"), "invalid number"},
    {S("1e"), "invalid number"},
    {S("1e+"), "invalid number"},
    {S(".5"), "unexpected character '.' at offset 0"},
    {S("+1"), "unexpected character '+'"},
    {S("0x10"), "trailing characters at offset 1"},
    {S("1e999"), "number out of range at offset 0"},
    {S("-1e999"), "number out of range"},
    {S("NaN"), "unexpected character 'N'"},
    {S("Infinity"), "unexpected character 'I'"},
    {S("-Infinity"), "invalid number"},
    {S("tru"), "unexpected end of input at offset 3"},
    {S("trUe"), "unexpected character 'U' at offset 2"},
    {S("nul"), "unexpected end of input"},
    {S("False"), "unexpected character 'F'"},
    {S("/* c */ 1"), "unexpected character '/'"},
    {S("\xEF\xBB\xBF{}"), "byte-order mark not allowed at offset 0"},
    {S("[1,\0]"), "unexpected byte 0x00 at offset 3"},
    {S("\x01"), "unexpected byte 0x01 at offset 0"},
    {S("\xC3\xA9"), "unexpected byte 0xc3 at offset 0"},
#undef S
    /* len is honoured: only "{\"a" is seen */
    {"{\"a\":1}", 3, "unexpected end of input at offset 3"},
};

START_TEST(test_invalid)
{
    const char *err = NULL;
    json_object *o;

    o = abtc_json_parse(abtc_test_pool, invalid_cases[_i].in,
                        invalid_cases[_i].len, 16, &err);
    ck_assert_msg(err != NULL, "accepted: %s", invalid_cases[_i].in);
    ck_assert_ptr_null(o);
    ck_assert_msg(strncmp(err, invalid_cases[_i].err,
                          strlen(invalid_cases[_i].err)) == 0,
                  "%s: got \"%s\", expected \"%s\"", invalid_cases[_i].in,
                  err, invalid_cases[_i].err);
}
END_TEST

/* n nested arrays or objects around a 1. */
static const char *nested(int n, int objects)
{
    char *s = apr_palloc(abtc_test_pool, (apr_size_t)n * 6 + 2);
    char *o = s;
    int i;

    for (i = 0; i < n; i++) {
        if (objects) {
            memcpy(o, "{\"a\":", 5);
            o += 5;
        }
        else {
            *o++ = '[';
        }
    }
    *o++ = '1';
    for (i = 0; i < n; i++) {
        *o++ = objects ? '}' : ']';
    }
    *o = '\0';
    return s;
}

static const struct {
    int n;
    int objects;
    int max_depth;
    const char *err;
} depth_cases[] = {
    {16, 0, 16, NULL},
    {16, 1, 16, NULL},
    {17, 0, 16, "nesting deeper than 16 at offset 16"},
    {17, 1, 16, "nesting deeper than 16 at offset 80"},
    {1000, 0, 16, "nesting deeper than 16 at offset 16"},
    {0, 0, 0, NULL},
    {1, 0, 0, "nesting deeper than 0 at offset 0"},
    {1, 0, 1, NULL},
    {2, 1, 1, "nesting deeper than 1 at offset 5"},
    {1, 0, -1, "nesting deeper than 0"},
    {100, 1, 100, NULL},
};

START_TEST(test_depth)
{
    const char *err = NULL;
    json_object *o;

    o = parse(nested(depth_cases[_i].n, depth_cases[_i].objects),
              depth_cases[_i].max_depth, &err);
    if (depth_cases[_i].err == NULL) {
        ck_assert_msg(err == NULL, "%d: %s", depth_cases[_i].n, err);
        ck_assert_ptr_nonnull(o);
    }
    else {
        ck_assert_ptr_null(o);
        ck_assert_msg(err && strncmp(err, depth_cases[_i].err,
                                     strlen(depth_cases[_i].err)) == 0,
                      "got \"%s\"", err);
    }
}
END_TEST

/* A long duplicate key is quoted cut short, not whole. */
START_TEST(test_duplicate_long_key)
{
    char key[201];
    const char *doc, *err = NULL;

    memset(key, 'k', 200);
    key[200] = '\0';
    doc = apr_psprintf(abtc_test_pool, "{\"%s\":1,\"%s\":2}", key, key);
    ck_assert_ptr_null(parse(doc, 16, &err));
    ck_assert_ptr_nonnull(err);
    ck_assert_msg(strlen(err) < 100, "%s", err);
    ck_assert(strncmp(err, "duplicate key \"kkkk", 19) == 0);
}
END_TEST

/* The root belongs to the pool: its cleanup drops exactly one reference. */
START_TEST(test_pool_cleanup)
{
    apr_pool_t *sub;
    const char *err;
    json_object *o, *v;

    ck_assert_int_eq(apr_pool_create(&sub, abtc_test_pool), APR_SUCCESS);
    o = abtc_json_parse(sub, "{\"a\":[1,2]}", 11, 16, &err);
    ck_assert_ptr_nonnull(o);
    json_object_get(o);
    apr_pool_destroy(sub);
    /* still alive through our own reference */
    ck_assert(json_object_object_get_ex(o, "a", &v));
    ck_assert_int_eq(json_object_array_length(v), 2);
    ck_assert_int_eq(json_object_put(o), 1);
}
END_TEST

/* Many parses of one large document leave nothing behind (valgrind). */
START_TEST(test_large)
{
    apr_array_header_t *items = apr_array_make(abtc_test_pool, 500,
                                               sizeof(const char *));
    const char *doc, *err = NULL;
    json_object *o;
    int i;

    for (i = 0; i < 500; i++) {
        APR_ARRAY_PUSH(items, const char *) =
            apr_psprintf(abtc_test_pool, "{\"id\":%d,\"name\":\"n\\u00e9%d\","
                         "\"tags\":[\"a\",\"b\"],\"x\":1.5}", i, i);
    }
    doc = apr_pstrcat(abtc_test_pool, "[",
                      apr_array_pstrcat(abtc_test_pool, items, ','), "]",
                      NULL);
    o = parse(doc, 16, &err);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(json_object_array_length(o), 500);
    ck_assert_str_eq(json_object_get_string(json_object_object_get(
                         json_object_array_get_idx(o, 499), "name")),
                     "n\xC3\xA9" "499");
    /* an error deep in a large document frees what was built so far */
    doc = apr_pstrcat(abtc_test_pool, apr_pstrndup(abtc_test_pool, doc,
                                                   strlen(doc) - 1),
                      ",{\"a\":1,\"a\":2}]", NULL);
    ck_assert_ptr_null(parse(doc, 16, &err));
    ck_assert_ptr_nonnull(err);
}
END_TEST

Suite *suite_jsonparse(void)
{
    Suite *s = suite_create("jsonparse");
    TCase *tc;

    tc = abtc_tcase(s, "valid");
    tcase_add_loop_test(tc, test_valid, 0, ABTC_NELEMS(valid_cases));
    tcase_add_test(tc, test_null);
    tcase_add_test(tc, test_values);
    tc = abtc_tcase(s, "invalid");
    tcase_add_loop_test(tc, test_invalid, 0, ABTC_NELEMS(invalid_cases));
    tcase_add_test(tc, test_duplicate_long_key);
    tc = abtc_tcase(s, "depth");
    tcase_add_loop_test(tc, test_depth, 0, ABTC_NELEMS(depth_cases));
    tc = abtc_tcase(s, "memory");
    tcase_add_test(tc, test_pool_cleanup);
    tcase_add_test(tc, test_large);
    return s;
}
