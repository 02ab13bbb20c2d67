/* check_core: the route table, problem documents, request body mapping,
 * SQL builders, searches and paging links of the core, each checked
 * against its header and the seed (ERRATA decisions). */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <apr_strings.h>
#include <apr_tables.h>
#include <json-c/json.h>

#include "check_abtc.h"

#include <apr_file_io.h>
#include <stdlib.h>
#include "abtc_body.h"
#include "abtc_jsonparse.h"
#include "abtc_links.h"
#include "abtc_problem.h"
#include "abtc_query.h"
#include "abtc_resource.h"
#include "abtc_route.h"
#include "abtc_search.h"
#include "abtc_sql.h"

#define TZ "Europe/Amsterdam"
#define BASE "https://api.example.nl/abt/abtcustomers/2.0"
#define CORR "4017fabc-1b28-11e8-accf-0ed5f89f718b"
#define SELF_ID 10
/* Must reach the database only as a parameter, never as statement text. */
#define HOSTILE "x'); DROP TABLE customer_profile; --"
#define DATATYPE_TITLE "Your request contains an invalid datatype"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* A request body parsed by the strict parser, as the handler does. */
static json_object *jparse(const char *text)
{
    const char *err = NULL;
    json_object *o = abtc_json_parse(abtc_test_pool, text, strlen(text), 16,
                                     &err);

    ck_assert_msg(err == NULL, "test input %s: %s", text, err);
    return o;
}

static apr_status_t json_put_cleanup(void *o)
{
    json_object_put(o);
    return APR_SUCCESS;
}

/* json-c in strict mode is the independent judge of what the core emits;
 * the object goes with the test pool. */
static json_object *json_valid(const char *text)
{
    struct json_tokener *tok = json_tokener_new();
    size_t len = strlen(text);
    json_object *o;
    enum json_tokener_error jerr;
    int ok;

    json_tokener_set_flags(tok, JSON_TOKENER_STRICT
                                | JSON_TOKENER_VALIDATE_UTF8);
    o = json_tokener_parse_ex(tok, text, (int)len);
    jerr = json_tokener_get_error(tok);
    ok = o != NULL && jerr == json_tokener_success
         && json_tokener_get_parse_end(tok) == len;
    json_tokener_free(tok);
    if (o) {
        apr_pool_cleanup_register(abtc_test_pool, o, json_put_cleanup,
                                  apr_pool_cleanup_null);
    }
    ck_assert_msg(ok, "not valid JSON (%s): %s", json_tokener_error_desc(jerr),
                  text);
    return o;
}

static json_object *jmember(json_object *o, const char *key)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(o, key, &v)) {
        return NULL;
    }
    return v;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = jmember(o, key);

    return json_object_is_type(v, json_type_string)
           ? json_object_get_string(v) : NULL;
}

static int count_str(const char *hay, const char *needle)
{
    int n = 0;

    while ((hay = strstr(hay, needle)) != NULL) {
        n++;
        hay += strlen(needle);
    }
    return n;
}

static abtc_problem_t *bad_request(void)
{
    return abtc_problem_make(abtc_test_pool, 400, NULL);
}

static const abtc_problem_error_t *error_at(const abtc_problem_t *pr, int i)
{
    ck_assert_msg(pr->errors && pr->errors->nelts > i, "no error #%d", i);
    return &APR_ARRAY_IDX(pr->errors, i, abtc_problem_error_t);
}

/* "a,b": the pointer or parameter of every error, in order. */
static const char *error_names(const abtc_problem_t *pr)
{
    const char *s = "";
    int i;

    for (i = 0; pr->errors && i < pr->errors->nelts; i++) {
        const abtc_problem_error_t *e = error_at(pr, i);

        s = apr_pstrcat(abtc_test_pool, s, i ? "," : "",
                        e->pointer ? e->pointer : e->parameter, NULL);
    }
    return s;
}

/* "name=value;...": mapped values in order, SQL NULL as NULL. */
static const char *values_text(const apr_array_header_t *values)
{
    const char *s = "";
    int i;

    for (i = 0; i < values->nelts; i++) {
        const abtc_value_t *v = &APR_ARRAY_IDX(values, i, abtc_value_t);

        s = apr_pstrcat(abtc_test_pool, s, i ? ";" : "", v->field->name, "=",
                        v->value ? v->value : "NULL", NULL);
    }
    return s;
}

/* "a|b": statement parameters, SQL NULL as NULL. */
static const char *params_text(const apr_array_header_t *params)
{
    const char *s = "";
    int i;

    for (i = 0; i < params->nelts; i++) {
        const char *v = APR_ARRAY_IDX(params, i, const char *);

        s = apr_pstrcat(abtc_test_pool, s, i ? "|" : "", v ? v : "NULL",
                        NULL);
    }
    return s;
}

static const char *param_at(const abtc_stmt_t *st, int i)
{
    ck_assert_int_lt(i, st->params->nelts);
    return APR_ARRAY_IDX(st->params, i, const char *);
}

/* Unwrap and map a body as the operations do (path id SELF_ID). Returns
 * the values as text, or NULL when pr gained errors. */
static const char *map_body(const abtc_resource_t *res,
                            abtc_body_mode_t mode, const char *body,
                            const char *const *extra, abtc_problem_t *pr)
{
    json_object *obj;
    const char *ptr;
    apr_array_header_t *values;

    obj = abtc_body_unwrap(abtc_test_pool, res, jparse(body), &ptr, pr);
    if (!obj) {
        ck_assert(abtc_problem_has_errors(pr));
        return NULL;
    }
    values = abtc_body_map(abtc_test_pool, res, obj, mode, SELF_ID, ptr,
                           extra, pr);
    return abtc_problem_has_errors(pr) ? NULL : values_text(values);
}

/* The values of a body that must map cleanly. */
static apr_array_header_t *values_of(const abtc_resource_t *res,
                                     abtc_body_mode_t mode, const char *body)
{
    abtc_problem_t *pr = bad_request();
    json_object *obj;
    const char *ptr;
    apr_array_header_t *values;

    obj = abtc_body_unwrap(abtc_test_pool, res, jparse(body), &ptr, pr);
    ck_assert_ptr_nonnull(obj);
    values = abtc_body_map(abtc_test_pool, res, obj, mode, SELF_ID, ptr,
                           NULL, pr);
    ck_assert_msg(!abtc_problem_has_errors(pr), "%s: %s", body, pr->detail);
    return values;
}

/* ------------------------------------------------------------------ */
/* abtc_route                                                          */

/* Every operation of the inventory, the aliases (#36, #38), HEAD as GET
 * and a tolerated trailing slash. */
static const struct {
    const char *method;
    const char *path;
    abtc_op_t op;
    apr_int64_t id;
    const char *id_name;
} route_found[] = {
    {"GET", "/customers", ABTC_OP_CUSTOMER_SEARCH, 0, NULL},
    {"HEAD", "/customers", ABTC_OP_CUSTOMER_SEARCH, 0, NULL},
    {"POST", "/customers", ABTC_OP_CUSTOMER_CREATE, 0, NULL},
    {"PATCH", "/customers/1", ABTC_OP_CUSTOMER_PATCH, 1, "customerProfileId"},
    {"POST", "/customers/2/customerStatusInstances", ABTC_OP_STATUS_CREATE,
     2, "customerProfileId"},
    {"POST", "/customers/3/customerPreferences", ABTC_OP_PREFERENCE_CREATE,
     3, "customerProfileId"},
    {"PATCH", "/customerPreferences/4", ABTC_OP_PREFERENCE_PATCH, 4,
     "customerPreferenceId"},
    {"POST", "/customers/5/addresses", ABTC_OP_ADDRESS_CREATE, 5,
     "customerProfileId"},
    {"PATCH", "/addresses/6", ABTC_OP_ADDRESS_PATCH, 6, "addressId"},
    {"DELETE", "/addresses/7", ABTC_OP_ADDRESS_DELETE, 7, "addressId"},
    {"POST", "/customers/8/phones", ABTC_OP_PHONE_CREATE, 8,
     "customerProfileId"},
    {"PATCH", "/phones/9", ABTC_OP_PHONE_PATCH, 9, "phoneId"},
    {"DELETE", "/phones/10", ABTC_OP_PHONE_DELETE, 10, "phoneId"},
    {"GET", "/ovpaytokens", ABTC_OP_TOKEN_SEARCH, 0, NULL},
    {"HEAD", "/ovpaytokens", ABTC_OP_TOKEN_SEARCH, 0, NULL},
    {"GET", "/ovPayTokens", ABTC_OP_TOKEN_SEARCH, 0, NULL},
    {"POST", "/customers/11/ovpaytokens", ABTC_OP_TOKEN_CREATE, 11,
     "customerProfileId"},
    {"PATCH", "/ovpaytokens/12", ABTC_OP_TOKEN_PATCH, 12, "ovpaytokenId"},
    {"DELETE", "/ovpaytokens/13", ABTC_OP_TOKEN_DELETE, 13, "ovpaytokenId"},
    {"POST", "/customers/14/ovchipcards", ABTC_OP_CHIPCARD_CREATE, 14,
     "customerProfileId"},
    {"PATCH", "/ovchipcards/15", ABTC_OP_CHIPCARD_PATCH, 15, "ovchipcardId"},
    {"DELETE", "/ovchipcards/16", ABTC_OP_CHIPCARD_DELETE, 16,
     "ovchipcardId"},
    {"GET", "/billingInformations", ABTC_OP_BILLING_SEARCH, 0, NULL},
    {"POST", "/customers/17/billingInformations", ABTC_OP_BILLING_CREATE, 17,
     "customerProfileId"},
    {"PATCH", "/billingInformations/18", ABTC_OP_BILLING_PATCH, 18,
     "billingInformationId"},
    {"GET", "/directdebitmandates", ABTC_OP_MANDATE_SEARCH, 0, NULL},
    {"POST", "/billingInformation/19/directdebitmandates",
     ABTC_OP_MANDATE_CREATE, 19, "billingInformationId"},
    {"POST", "/billingInformations/20/directdebitmandates",
     ABTC_OP_MANDATE_CREATE, 20, "billingInformationId"},
    {"PATCH", "/directdebitmandates/21", ABTC_OP_MANDATE_PATCH, 21,
     "directdebitmandateId"},
    /* one trailing slash */
    {"GET", "/customers/", ABTC_OP_CUSTOMER_SEARCH, 0, NULL},
    {"PATCH", "/addresses/6/", ABTC_OP_ADDRESS_PATCH, 6, "addressId"},
    {"POST", "/customers/5/phones/", ABTC_OP_PHONE_CREATE, 5,
     "customerProfileId"},
    /* id range: the largest id, and ids that cannot exist become 0 */
    {"PATCH", "/customers/9223372036854775807", ABTC_OP_CUSTOMER_PATCH,
     APR_INT64_MAX, "customerProfileId"},
    {"PATCH", "/customers/9223372036854775808", ABTC_OP_CUSTOMER_PATCH, 0,
     "customerProfileId"},
    {"DELETE", "/addresses/99999999999999999999", ABTC_OP_ADDRESS_DELETE, 0,
     "addressId"},
    {"DELETE", "/addresses/0", ABTC_OP_ADDRESS_DELETE, 0, "addressId"},
    {"DELETE", "/addresses/007", ABTC_OP_ADDRESS_DELETE, 7, "addressId"},
};

START_TEST(test_route_found)
{
    const abtc_route_t *route = NULL;
    apr_int64_t id = -1;
    const char *allow = NULL;
    abtc_method_t m = abtc_route_method(route_found[_i].method);

    ck_assert_int_eq(abtc_route_match(abtc_test_pool, m, route_found[_i].path,
                                      &route, &id, &allow),
                     ABTC_ROUTE_FOUND);
    ck_assert_ptr_nonnull(route);
    ck_assert_int_eq(route->op, route_found[_i].op);
    ck_assert_int_eq(route->method, m);
    ck_assert_msg(id == route_found[_i].id, "%s: id %" APR_INT64_T_FMT,
                  route_found[_i].path, id);
    ck_assert_pstr_eq(route->id_name, route_found[_i].id_name);
}
END_TEST

/* Each of the 25 operations has a route. */
START_TEST(test_route_every_op)
{
    int i;

    for (i = 0; i < ABTC_NELEMS(route_found); i++) {
        if ((int)route_found[i].op == _i) {
            return;
        }
    }
    ck_abort_msg("operation %d has no route", _i);
}
END_TEST

static const struct {
    const char *method;
    const char *path;
    abtc_route_result_t result;
    const char *allow;       /* BAD_METHOD */
    const char *id_name;     /* BAD_ID: the route names its id */
} route_other[] = {
    {"GET", "/", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"GET", "", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"GET", "/customer", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"GET", "/Customers", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"GET", "/customers//", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"GET", "/customersx", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"POST", "/customers/1/unknown", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"POST", "/customers//phones", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"PATCH", "/addresses", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"PATCH", "/addresses/", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"PATCH", "/addresses/1/2", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"PATCH", "/billingInformation/1", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"GET", "/OVPAYTOKENS", ABTC_ROUTE_NO_PATH, NULL, NULL},
    {"DELETE", "/customers/1/addresses/2", ABTC_ROUTE_NO_PATH, NULL, NULL},
    /* 405 with the methods the path has; HEAD goes with GET */
    {"PUT", "/customers", ABTC_ROUTE_BAD_METHOD, "GET, HEAD, POST", NULL},
    {"DELETE", "/customers", ABTC_ROUTE_BAD_METHOD, "GET, HEAD, POST", NULL},
    {"OPTIONS", "/customers", ABTC_ROUTE_BAD_METHOD, "GET, HEAD, POST", NULL},
    {"GET", "/customers/1", ABTC_ROUTE_BAD_METHOD, "PATCH", NULL},
    {"GET", "/addresses/1", ABTC_ROUTE_BAD_METHOD, "PATCH, DELETE", NULL},
    {"POST", "/phones/1", ABTC_ROUTE_BAD_METHOD, "PATCH, DELETE", NULL},
    {"POST", "/ovpaytokens", ABTC_ROUTE_BAD_METHOD, "GET, HEAD", NULL},
    {"DELETE", "/ovPayTokens", ABTC_ROUTE_BAD_METHOD, "GET, HEAD", NULL},
    {"GET", "/customers/1/addresses", ABTC_ROUTE_BAD_METHOD, "POST", NULL},
    {"DELETE", "/billingInformations/1", ABTC_ROUTE_BAD_METHOD, "PATCH",
     NULL},
    {"GET", "/billingInformation/1/directdebitmandates",
     ABTC_ROUTE_BAD_METHOD, "POST", NULL},
    {"DELETE", "/directdebitmandates/1", ABTC_ROUTE_BAD_METHOD, "PATCH",
     NULL},
    {"get", "/customers", ABTC_ROUTE_BAD_METHOD, "GET, HEAD, POST", NULL},
    /* an id that is not plain digits is a 400 */
    {"DELETE", "/addresses/abc", ABTC_ROUTE_BAD_ID, NULL, "addressId"},
    {"DELETE", "/addresses/-1", ABTC_ROUTE_BAD_ID, NULL, "addressId"},
    {"DELETE", "/addresses/+1", ABTC_ROUTE_BAD_ID, NULL, "addressId"},
    {"DELETE", "/addresses/1a", ABTC_ROUTE_BAD_ID, NULL, "addressId"},
    {"DELETE", "/addresses/1.0", ABTC_ROUTE_BAD_ID, NULL, "addressId"},
    {"POST", "/customers/x/phones", ABTC_ROUTE_BAD_ID, NULL,
     "customerProfileId"},
    {"PATCH", "/directdebitmandates/%31", ABTC_ROUTE_BAD_ID, NULL,
     "directdebitmandateId"},
};

START_TEST(test_route_other)
{
    const abtc_route_t *route = NULL;
    apr_int64_t id = -1;
    const char *allow = NULL;
    abtc_route_result_t res;

    res = abtc_route_match(abtc_test_pool,
                           abtc_route_method(route_other[_i].method),
                           route_other[_i].path, &route, &id, &allow);
    ck_assert_msg(res == route_other[_i].result, "%s %s: result %d",
                  route_other[_i].method, route_other[_i].path, (int)res);
    if (res == ABTC_ROUTE_BAD_METHOD) {
        ck_assert_pstr_eq(allow, route_other[_i].allow);
    }
    if (res == ABTC_ROUTE_BAD_ID) {
        ck_assert_ptr_nonnull(route);
        ck_assert_str_eq(route->id_name, route_other[_i].id_name);
    }
}
END_TEST

static const struct {
    const char *name;
    abtc_method_t method;
} method_cases[] = {
    {"GET", ABTC_M_GET}, {"HEAD", ABTC_M_GET}, {"POST", ABTC_M_POST},
    {"PATCH", ABTC_M_PATCH}, {"DELETE", ABTC_M_DELETE},
    {"PUT", ABTC_M_OTHER}, {"OPTIONS", ABTC_M_OTHER}, {"get", ABTC_M_OTHER},
    {"", ABTC_M_OTHER},
};

START_TEST(test_route_method)
{
    ck_assert_int_eq(abtc_route_method(method_cases[_i].name),
                     method_cases[_i].method);
}
END_TEST

/* ------------------------------------------------------------------ */
/* abtc_problem                                                        */

static const struct {
    int status;
    const char *slug;
    const char *title;
} status_cases[] = {
    {400, "bad-request", "Bad Request"},
    {401, "unauthorized", "Unauthorized"},
    {403, "forbidden", "Forbidden"},
    {404, "not-found", "Not Found"},
    {405, "method-not-allowed", "Method Not Allowed"},
    {409, "conflict", "Conflict"},
    {413, "payload-too-large", "Payload Too Large"},
    {415, "unsupported-media-type", "Unsupported Media Type"},
    {500, "internal-server-error", "Internal Server Error"},
    {503, "service-unavailable", "Service Unavailable"},
    /* statuses without an entry fall back by class */
    {418, "bad-request", "Bad Request"},
    {599, "internal-server-error", "Internal Server Error"},
};

START_TEST(test_problem_status)
{
    abtc_problem_t *pr = abtc_problem_make(abtc_test_pool,
                                           status_cases[_i].status,
                                           "something happened");
    json_object *doc;
    const char *type;

    ck_assert_str_eq(abtc_problem_slug(status_cases[_i].status),
                     status_cases[_i].slug);
    ck_assert_str_eq(abtc_problem_title(status_cases[_i].status),
                     status_cases[_i].title);
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
    type = apr_pstrcat(abtc_test_pool, "https://htm.nl/api/v1/probs/",
                       status_cases[_i].slug, NULL);
    ck_assert_pstr_eq(jstr(doc, "type"), type);
    ck_assert_pstr_eq(jstr(doc, "title"), status_cases[_i].title);
    ck_assert_int_eq(json_object_get_int(jmember(doc, "status")),
                     status_cases[_i].status);
    ck_assert(json_object_is_type(jmember(doc, "status"), json_type_int));
    ck_assert_pstr_eq(jstr(doc, "detail"), "something happened");
    ck_assert_pstr_eq(jstr(doc, "instance"), "urn:uuid:" CORR);
    ck_assert_ptr_null(jmember(doc, "errors"));
    ck_assert_int_eq(json_object_object_length(doc), 5);
}
END_TEST

/* errors[] entries name a pointer or a parameter, never both; the first
 * one becomes the detail. */
START_TEST(test_problem_errors)
{
    abtc_problem_t *pr = bad_request();
    json_object *doc, *errors, *e0, *e1;

    ck_assert(!abtc_problem_has_errors(pr));
    abtc_problem_field(pr, abtc_test_pool, "/phone/number",
                       "must be a phone number of digits");
    abtc_problem_param(pr, abtc_test_pool, "limit",
                       "must be an integer from 1 to 100");
    ck_assert(abtc_problem_has_errors(pr));
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
    ck_assert_pstr_eq(jstr(doc, "title"), "Bad Request");
    ck_assert_pstr_eq(jstr(doc, "detail"),
                      "/phone/number: must be a phone number of digits");
    errors = jmember(doc, "errors");
    ck_assert(json_object_is_type(errors, json_type_array));
    ck_assert_int_eq(json_object_array_length(errors), 2);
    e0 = json_object_array_get_idx(errors, 0);
    e1 = json_object_array_get_idx(errors, 1);
    ck_assert_pstr_eq(jstr(e0, "pointer"), "/phone/number");
    ck_assert_ptr_null(jmember(e0, "parameter"));
    ck_assert_pstr_eq(jstr(e0, "detail"), "must be a phone number of digits");
    ck_assert_pstr_eq(jstr(e1, "parameter"), "limit");
    ck_assert_ptr_null(jmember(e1, "pointer"));
    ck_assert_pstr_eq(jstr(e1, "detail"), "must be an integer from 1 to 100");
    /* the root pointer "" is a pointer too */
    pr = bad_request();
    abtc_problem_field(pr, abtc_test_pool, "", "must be a JSON object");
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
    e0 = json_object_array_get_idx(jmember(doc, "errors"), 0);
    ck_assert_pstr_eq(jstr(e0, "pointer"), "");
}
END_TEST

START_TEST(test_problem_defaults)
{
    abtc_problem_t *pr = abtc_problem_make(abtc_test_pool, 404, NULL);
    json_object *doc;

    /* no detail: the title stands in, so detail is always a string */
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
    ck_assert_pstr_eq(jstr(doc, "detail"), "Not Found");
    /* an explicit detail is kept when errors are added later */
    pr = abtc_problem_makef(abtc_test_pool, 409, "token %d is named by %s",
                            7, "token 8");
    ck_assert_str_eq(pr->detail, "token 7 is named by token 8");
    abtc_problem_field(pr, abtc_test_pool, "/x", "y");
    ck_assert_str_eq(pr->detail, "token 7 is named by token 8");
    /* a title of the caller replaces the standard one */
    pr = bad_request();
    pr->title = DATATYPE_TITLE;
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
    ck_assert_pstr_eq(jstr(doc, "title"), DATATYPE_TITLE);
    ck_assert_pstr_eq(jstr(doc, "type"),
                      "https://htm.nl/api/v1/probs/bad-request");
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} quote_cases[] = {
    {"", "\"\""},
    {"plain", "\"plain\""},
    {"a\"b", "\"a\\\"b\""},
    {"a\\b", "\"a\\\\b\""},
    {"\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""},
    {"\x01", "\"\\u0001\""},
    {"\x1f", "\"\\u001f\""},
    {"\x7f", "\"\\u007f\""},
    {"a/b", "\"a/b\""},
    {"caf\xC3\xA9 \xE2\x82\xAC", "\"caf\xC3\xA9 \xE2\x82\xAC\""},
    {"</script>", "\"</script>\""},
    {"\"\\\"", "\"\\\"\\\\\\\"\""},
};

START_TEST(test_json_quote)
{
    const char *q = abtc_json_quote(abtc_test_pool, quote_cases[_i].in);
    json_object *o;

    ck_assert_str_eq(q, quote_cases[_i].out);
    /* and it reads back as the same string */
    o = json_valid(q);
    ck_assert(json_object_is_type(o, json_type_string));
    ck_assert_str_eq(json_object_get_string(o), quote_cases[_i].in);
}
END_TEST

/* Quotes and control characters anywhere in a problem keep it valid. */
START_TEST(test_problem_escaping)
{
    static const char nasty[] = "say \"hi\"\\\n\x01\x1f end";
    abtc_problem_t *pr = abtc_problem_make(abtc_test_pool, 400, nasty);
    json_object *doc, *e0;

    pr->title = "t\"itle";
    abtc_problem_field(pr, abtc_test_pool, "/a\"b", nasty);
    abtc_problem_param(pr, abtc_test_pool, "p\\q", nasty);
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, "c\"d"));
    ck_assert_pstr_eq(jstr(doc, "detail"), nasty);
    ck_assert_pstr_eq(jstr(doc, "title"), "t\"itle");
    ck_assert_pstr_eq(jstr(doc, "instance"), "urn:uuid:c\"d");
    e0 = json_object_array_get_idx(jmember(doc, "errors"), 0);
    ck_assert_pstr_eq(jstr(e0, "pointer"), "/a\"b");
    ck_assert_pstr_eq(jstr(e0, "detail"), nasty);
    ck_assert_pstr_eq(jstr(json_object_array_get_idx(jmember(doc, "errors"),
                                                     1), "parameter"),
                      "p\\q");
}
END_TEST

/* ------------------------------------------------------------------ */
/* abtc_body: envelopes (#1, #2)                                       */

static const struct {
    const abtc_resource_t *res;
    const char *body;
    int ok;
    const char *ptr;    /* ok: pointer of the object; else: of the error */
    const char *key;    /* ok: a member of the returned object */
} unwrap_cases[] = {
    {&abtc_res_phone, "{\"phone\":{\"number\":\"0701112233\"}}", 1,
     "/phone", "number"},
    {&abtc_res_phone, "{\"PHONE\":{\"number\":\"1\"}}", 1, "/PHONE",
     "number"},
    {&abtc_res_phone, "{\"phone\":{}}", 1, "/phone", NULL},
    {&abtc_res_chipcard, "{\"ovChipcard\":{\"alias\":\"a\"}}", 1,
     "/ovChipcard", "alias"},
    {&abtc_res_chipcard, "{\"ovChipCard\":{\"alias\":\"a\"}}", 1,
     "/ovChipCard", "alias"},
    {&abtc_res_address, "{\"customerAddress\":{\"city\":\"x\"}}", 1,
     "/customerAddress", "city"},
    {&abtc_res_address, "{\"address\":{\"city\":\"x\"}}", 1, "/address",
     "city"},
    {&abtc_res_token, "{\"ovpaytoken\":{\"alias\":\"a\"}}", 1,
     "/ovpaytoken", "alias"},
    {&abtc_res_token, "{\"ovPayToken\":{\"alias\":\"a\"}}", 1,
     "/ovPayToken", "alias"},
    /* the status "envelope" is also the nested spelling of
     * customerStatusId (#3): read flat, so a name beside the id works */
    {&abtc_res_status, "{\"customerStatus\":{\"customerStatusId\":2}}", 1,
     "", "customerStatus"},
    {&abtc_res_preference, "{\"customerPreference\":{\"languageId\":1}}", 1,
     "/customerPreference", "languageId"},
    {&abtc_res_billing, "{\"billingInformation\":{\"iban\":\"x\"}}", 1,
     "/billingInformation", "iban"},
    {&abtc_res_mandate, "{\"directDebitMandate\":{\"mandateState\":\"x\"}}",
     1, "/directDebitMandate", "mandateState"},
    /* flat bodies pass through */
    {&abtc_res_phone, "{\"number\":\"0701112233\",\"phoneTypeId\":1}", 1, "",
     "number"},
    {&abtc_res_phone, "{}", 1, "", NULL},
    {&abtc_res_customer, "{\"person\":{\"surname\":\"x\"}}", 1, "", "person"},
    /* not an envelope: another resource's, or not an object */
    {&abtc_res_phone, "{\"address\":{\"city\":\"x\"}}", 1, "", "address"},
    {&abtc_res_phone, "{\"phone\":\"0701112233\"}", 1, "", "phone"},
    /* an envelope beside another member */
    {&abtc_res_phone,
     "{\"phone\":{\"number\":\"1\"},\"isPreferred\":true}", 0, "/phone",
     NULL},
    {&abtc_res_phone,
     "{\"isPreferred\":true,\"Phone\":{\"number\":\"1\"}}", 0, "/Phone",
     NULL},
    {&abtc_res_address,
     "{\"address\":{\"city\":\"x\"},\"customerAddress\":{\"city\":\"y\"}}",
     0, "/address", NULL},
    /* the body itself must be an object */
    {&abtc_res_phone, "[]", 0, "", NULL},
    {&abtc_res_phone, "\"phone\"", 0, "", NULL},
    {&abtc_res_phone, "null", 0, "", NULL},
    {&abtc_res_phone, "42", 0, "", NULL},
};

START_TEST(test_body_unwrap)
{
    abtc_problem_t *pr = bad_request();
    json_object *body = jparse(unwrap_cases[_i].body), *got;
    const char *ptr = NULL;

    got = abtc_body_unwrap(abtc_test_pool, unwrap_cases[_i].res, body, &ptr,
                           pr);
    if (unwrap_cases[_i].ok) {
        ck_assert_msg(got != NULL, "%s: %s", unwrap_cases[_i].body,
                      pr->detail);
        ck_assert(!abtc_problem_has_errors(pr));
        ck_assert_pstr_eq(ptr, unwrap_cases[_i].ptr);
        ck_assert(json_object_is_type(got, json_type_object));
        if (!*unwrap_cases[_i].ptr) {
            ck_assert_ptr_eq(got, body);
        }
        if (unwrap_cases[_i].key) {
            ck_assert_ptr_nonnull(jmember(got, unwrap_cases[_i].key));
        }
    }
    else {
        ck_assert_ptr_null(got);
        ck_assert_int_eq(pr->errors->nelts, 1);
        ck_assert_pstr_eq(error_at(pr, 0)->pointer, unwrap_cases[_i].ptr);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* abtc_body: mapping                                                  */

#define C ABTC_BODY_CREATE
#define P ABTC_BODY_PATCH
#define XTAT "0115b0df-db38-4702-8811-6f7de00db3ac"
#define XBOT "71a88843-32b8-4d52-ac25-de2458c47775"
#define SEED_ADDRESS "{\"addressTypeId\":1,\"street\":\"Sesamstraat\"," \
    "\"houseNumber\":1,\"houseNumberSuffix\":\"A\",\"postalCode\":" \
    "\"1234 AB\",\"city\":\"Den Haag\",\"country\":\"NL\"}"
#define SEED_ADDRESS_VALUES "street=Sesamstraat;houseNumber=1;" \
    "houseNumberSuffix=A;postalCode=1234AB;city=Den Haag;country=NL;" \
    "addressTypeId=1"
#define SEED_PHONE "{\"number\":\"0701112233\",\"countryCode\":\"0031\"," \
    "\"phoneTypeId\":1,\"isPreferred\":true}"
#define SEED_PHONE_VALUES "number=0701112233;countryCode=+31;phoneTypeId=1;" \
    "isPreferred=true"
#define SEED_EMV "{\"tokenTypeId\":1,\"xTat\":\"" XTAT "\",\"xBot\":\"" \
    XBOT "\",\"alias\":\"Mijn Rabo Pas\",\"tokenStatusId\":2," \
    "\"expirationDate\":\"2026-04-20T17:05:52.000+02:00\"}"
#define SEED_OVPAS "{\"tokenTypeId\":2,\"xTat\":\"" XTAT "\",\"xBot\":\"" \
    XBOT "\",\"alias\":\"Mijn OV Pas\",\"ovpasNumber\":4048453105891361," \
    "\"tokenStatusId\":2," \
    "\"expirationDate\":\"2026-04-20T17:05:52.000+02:00\"}"
#define INVALID_DATETIME "'2023-02-30T00:00:00' is not a valid Datetime"

typedef struct {
    const abtc_resource_t *res;
    abtc_body_mode_t mode;
    const char *body;
    const char *values;     /* accepted: "name=value;..." */
    const char *pointer;    /* refused (values NULL): the one error's */
    const char *detail;     /* refused: text in that error's detail */
} map_case_t;

static const map_case_t map_cases[] = {
    /* every request example of the seed */
    {&abtc_res_customer, C, "{}", "", NULL, NULL},
    {&abtc_res_customer, P, "{\"debtorStatusId\":2}", "debtorStatusId=2",
     NULL, NULL},
    {&abtc_res_status, C, "{\"customerStatus\":{\"customerStatusId\":2}}",
     "customerStatusId=2", NULL, NULL},
    {&abtc_res_preference, C, "{\"customerPreference\":{\"languageId\":1}}",
     "languageId=1", NULL, NULL},
    {&abtc_res_preference, P, "{\"customerPreference\":{\"languageId\":1}}",
     "languageId=1", NULL, NULL},
    {&abtc_res_address, C, "{\"customerAddress\":" SEED_ADDRESS "}",
     SEED_ADDRESS_VALUES, NULL, NULL},
    {&abtc_res_address, P, "{\"address\":{\"addressTypeId\":2}}",
     "addressTypeId=2", NULL, NULL},
    {&abtc_res_phone, C, "{\"phone\":" SEED_PHONE "}", SEED_PHONE_VALUES,
     NULL, NULL},
    {&abtc_res_phone, P, "{\"phone\":{\"phoneTypeId\":2}}", "phoneTypeId=2",
     NULL, NULL},
    {&abtc_res_token, C, "{\"ovpaytoken\":" SEED_EMV "}",
     "tokenTypeId=1;xTat=" XTAT ";xBot=" XBOT ";alias=Mijn Rabo Pas;"
     "tokenStatusId=2;expirationDate=2026-04-20T17:05:52.000+02:00",
     NULL, NULL},
    {&abtc_res_token, C, "{\"ovpaytoken\":" SEED_OVPAS "}",
     "tokenTypeId=2;xTat=" XTAT ";xBot=" XBOT ";alias=Mijn OV Pas;"
     "ovpasNumber=4048453105891361;tokenStatusId=2;"
     "expirationDate=2026-04-20T17:05:52.000+02:00", NULL, NULL},
    {&abtc_res_token, P, "{\"ovpaytoken\":{\"alias\":\"ING pas mobiel\"}}",
     "alias=ING pas mobiel", NULL, NULL},
    {&abtc_res_token, P, "{\"ovpaytoken\":{\"tokenStatusId\":6}}",
     "tokenStatusId=6", NULL, NULL},
    {&abtc_res_token, P,
     "{\"ovpaytoken\":{\"tokenStatusId\":3,\"replacedByTokenId\":8}}",
     "tokenStatusId=3;replacedByTokenId=8", NULL, NULL},
    {&abtc_res_chipcard, C,
     "{\"ovChipcard\":{\"chipCardNumber\":\"1234123412341234\","
     "\"validUntil\":\"2027-01-01\",\"alias\":\"Mijn chipkaart\"}}",
     "chipCardNumber=1234123412341234;validUntil=2027-01-01;"
     "alias=Mijn chipkaart", NULL, NULL},
    {&abtc_res_chipcard, P,
     "{\"ovChipCard\":{\"alias\":\"Zoon 1 chipkaart\"}}",
     "alias=Zoon 1 chipkaart", NULL, NULL},
    {&abtc_res_billing, C,
     "{\"billingInformation\":{\"iban\":\"NL73RABO2677424363\","
     "\"ascription\":\"J. Doe\"}}",
     "iban=NL73RABO2677424363;ascription=J. Doe", NULL, NULL},
    {&abtc_res_billing, C,
     "{\"billingInformation\":{\"iban\":\"NL73RABO2677424363\","
     "\"bic\":\"GHJZIEJSKVM\",\"ascription\":\"J. Doe\","
     "\"alias\":\"John's billing details\"}}",
     "iban=NL73RABO2677424363;bic=GHJZIEJSKVM;ascription=J. Doe;"
     "alias=John's billing details", NULL, NULL},
    {&abtc_res_billing, P,
     "{\"billingInformation\":{\"alias\":\"Mijn rekening details\"}}",
     "alias=Mijn rekening details", NULL, NULL},
    {&abtc_res_billing, P,
     "{\"billingInformation\":{\"alias\":\"Mijn rekening details\","
     "\"iban\":\"NL06RABO8902022560\"}}",
     "iban=NL06RABO8902022560;alias=Mijn rekening details", NULL, NULL},
    {&abtc_res_mandate, C,
     "{\"directDebitMandate\":{\"directDebitMandateTypeId\":1,"
     "\"mandateReference\":\"HTM-mandate-001\",\"mandateState\":"
     "\"PREPARED\"}}",
     "directDebitMandateTypeId=1;mandateReference=HTM-mandate-001;"
     "mandateState=PREPARED", NULL, NULL},
    {&abtc_res_mandate, P,
     "{\"directDebitMandate\":{\"mandateState\":\"CANCELLED\"}}",
     "mandateState=CANCELLED", NULL, NULL},
    {&abtc_res_person, C,
     "{\"birthname\":\"Jan\",\"surname\":\"Jansen\","
     "\"emailAddress\":\"j.jansen@hatseflats.nl\"}",
     "birthname=Jan;surname=Jansen;emailAddress=j.jansen@hatseflats.nl",
     NULL, NULL},

    /* stored forms (#26, #27, D6, #12, #13) */
    {&abtc_res_phone, P, "{\"countryCode\":\"+31\"}", "countryCode=+31",
     NULL, NULL},
    {&abtc_res_phone, P, "{\"countryCode\":\"31\"}", "countryCode=+31",
     NULL, NULL},
    {&abtc_res_phone, P, "{\"countryCode\":31}", "countryCode=+31", NULL,
     NULL},
    {&abtc_res_phone, P, "{\"countryCode\":\"+999999\"}", NULL,
     "/countryCode", "calling code"},
    {&abtc_res_phone, P, "{\"number\":701112233}", "number=701112233", NULL,
     NULL},
    {&abtc_res_phone, P, "{\"number\":\"070-111 2233\"}",
     "number=070-111 2233", NULL, NULL},
    {&abtc_res_phone, P, "{\"number\":\"07O1\"}", NULL, "/number",
     "digits"},
    {&abtc_res_address, P, "{\"postalCode\":\"1234 ab\"}",
     "postalCode=1234AB", NULL, NULL},
    {&abtc_res_address, P, "{\"postalCode\":\"0000AA\"}",
     "postalCode=0000AA", NULL, NULL},
    /* without a country in the body the database checks the NL rule */
    {&abtc_res_address, P, "{\"postalCode\":\"1234\"}", "postalCode=1234",
     NULL, NULL},
    {&abtc_res_address, P, "{\"country\":\"NL\",\"postalCode\":\"1234\"}",
     NULL, "/postalCode", "Dutch postal code"},
    {&abtc_res_address, P, "{\"postalCode\":\"12#4\"}", NULL,
     "/postalCode", "postal code"},
    {&abtc_res_address, P, "{\"country\":\"nl\"}", "country=NL", NULL, NULL},
    {&abtc_res_address, P, "{\"country\":\"XX\"}", NULL, "/country",
     "ISO 3166-1"},
    {&abtc_res_address, P, "{\"country\":\"BE\",\"postalCode\":\"1000\"}",
     "postalCode=1000;country=BE", NULL, NULL},
    {&abtc_res_billing, P, "{\"iban\":\"nl73 rabo 2677 4243 63\"}",
     "iban=NL73RABO2677424363", NULL, NULL},
    {&abtc_res_billing, P, "{\"iban\":\"NL00RABO2677424363\"}", NULL,
     "/iban", "IBAN"},
    {&abtc_res_billing, P, "{\"bic\":\"ghjziejskvm\"}", "bic=GHJZIEJSKVM",
     NULL, NULL},
    /* #22: an upper-case enum */
    {&abtc_res_mandate, P, "{\"mandateState\":\"SIGNED\"}",
     "mandateState=SIGNED", NULL, NULL},
    {&abtc_res_mandate, P, "{\"mandateState\":\"prepared\"}", NULL,
     "/mandateState", "PREPARED, SIGNED, CANCELLED"},
    {&abtc_res_token, P, "{\"ovpasNumber\":\"OV 123\"}", NULL,
     "/ovpasNumber", "letters and digits"},
    {&abtc_res_chipcard, P, "{\"alias\":\" \\n\"}", NULL, "/alias",
     "control characters"},
    {&abtc_res_mandate, P, "{\"mandateState\":\"REVOKED\"}", NULL,
     "/mandateState", "PREPARED, SIGNED, CANCELLED"},
    {&abtc_res_token, P, "{\"lastDigits\":\"0042\"}", "lastDigits=0042",
     NULL, NULL},
    {&abtc_res_token, P, "{\"lastDigits\":3301}", "lastDigits=3301", NULL,
     NULL},
    {&abtc_res_token, P, "{\"lastDigits\":-1}", NULL, "/lastDigits",
     "must be a string"},
    {&abtc_res_token, P, "{\"lastDigits\":\"33a1\"}", NULL, "/lastDigits",
     "digits"},
    {&abtc_res_token, P, "{\"ovpasNumber\":\"63aw974\"}",
     "ovpasNumber=63AW974", NULL, NULL},
    /* digits beyond int64 keep their exact text, never saturated */
    {&abtc_res_token, P, "{\"ovpasNumber\":99999999999999999999}",
     "ovpasNumber=99999999999999999999", NULL, NULL},
    {&abtc_res_token, P, "{\"ovpasNumber\":1.5}", NULL, "/ovpasNumber",
     "must be a string"},
    {&abtc_res_token, P, "{\"ovpasNumber\":1e3}", NULL, "/ovpasNumber",
     "must be a string"},
    {&abtc_res_token, P,
     "{\"xTat\":\"0115B0DF-DB38-4702-8811-6F7DE00DB3AC\"}", "xTat=" XTAT,
     NULL, NULL},
    {&abtc_res_token, P, "{\"xBot\":\"not-a-uuid\"}", NULL, "/xBot",
     "UUID"},
    {&abtc_res_chipcard, P, "{\"chipCardNumber\":1234123412341234}",
     "chipCardNumber=1234123412341234", NULL, NULL},

    /* lookups: n, "n", {id, name}, under either name (#3, #4, #5) */
    {&abtc_res_address, P, "{\"addressTypeId\":1}", "addressTypeId=1", NULL,
     NULL},
    {&abtc_res_address, P, "{\"addressType\":1}", "addressTypeId=1", NULL,
     NULL},
    {&abtc_res_address, P,
     "{\"addressType\":{\"addressTypeId\":1,\"name\":\"Shipping\"}}",
     "addressTypeId=1", NULL, NULL},
    {&abtc_res_address, P, "{\"addressType\":{\"addressTypeId\":2}}",
     "addressTypeId=2", NULL, NULL},
    {&abtc_res_address, P, "{\"addressTypeId\":\"1\"}", "addressTypeId=1",
     NULL, NULL},
    {&abtc_res_address, P, "{\"addressType\":\"2\"}", "addressTypeId=2",
     NULL, NULL},
    {&abtc_res_address, P,
     "{\"addressTypeId\":{\"addressTypeId\":2,\"name\":\"Billing\"}}",
     "addressTypeId=2", NULL, NULL},
    {&abtc_res_address, P,
     "{\"addressType\":{\"addressTypeId\":1,\"name\":\"shipping\"}}",
     "addressTypeId=1", NULL, NULL},
    {&abtc_res_address, P,
     "{\"addressTypeId\":1,\"addressType\":{\"addressTypeId\":1,"
     "\"name\":\"Shipping\"}}", "addressTypeId=1", NULL, NULL},
    {&abtc_res_address, P, "{\"addressTypeId\":1,\"addressType\":2}", NULL,
     "/addressType", "conflicts with addressTypeId"},
    {&abtc_res_address, P,
     "{\"addressType\":{\"addressTypeId\":1,\"name\":\"Billing\"}}", NULL,
     "/addressType", "does not match addressTypeId 1"},
    {&abtc_res_address, P, "{\"addressTypeId\":3}", NULL, "/addressTypeId",
     "unknown addressTypeId 3"},
    {&abtc_res_address, P, "{\"addressTypeId\":0}", NULL, "/addressTypeId",
     "unknown addressTypeId 0"},
    {&abtc_res_address, P, "{\"addressTypeId\":\"one\"}", NULL,
     "/addressTypeId", "integer id"},
    {&abtc_res_address, P, "{\"addressTypeId\":\"01\"}", NULL,
     "/addressTypeId", "integer id"},
    {&abtc_res_address, P, "{\"addressTypeId\":1.0}", NULL,
     "/addressTypeId", "integer id"},
    {&abtc_res_address, P, "{\"addressTypeId\":true}", NULL,
     "/addressTypeId", "integer id"},
    {&abtc_res_address, P, "{\"addressTypeId\":99999999999999999999}", NULL,
     "/addressTypeId", "integer id"},
    {&abtc_res_address, P, "{\"addressType\":{\"name\":\"Shipping\"}}", NULL,
     "/addressType", "must contain addressTypeId"},
    {&abtc_res_address, P,
     "{\"addressType\":{\"addressTypeId\":1,\"code\":\"S\"}}", NULL,
     "/addressType", "unknown member code"},
    {&abtc_res_address, P,
     "{\"addressType\":{\"addressTypeId\":1,\"name\":2}}", NULL,
     "/addressType", "name must be a string"},
    {&abtc_res_token, P,
     "{\"tokenType\":{\"tokenTypeId\":\"1\",\"name\":\"EMV\"}}",
     "tokenTypeId=1", NULL, NULL},
    {&abtc_res_token, P,
     "{\"tokenStatus\":{\"tokenStatusId\":2,\"name\":\"active\"}}",
     "tokenStatusId=2", NULL, NULL},
    {&abtc_res_token, P,
     "{\"tokenStatusId\":2,\"tokenStatus\":{\"tokenStatusId\":3}}", NULL,
     "/tokenStatus", "conflicts with tokenStatusId"},
    {&abtc_res_token, P, "{\"tokenTypeId\":4}", NULL, "/tokenTypeId",
     "unknown tokenTypeId 4"},
    {&abtc_res_mandate, P,
     "{\"directDebitMandateType\":{\"directDebitMandateTypeId\":3,"
     "\"name\":\"SEPA eMandate\",\"description\":\"SEPA eMandate\"}}",
     "directDebitMandateTypeId=3", NULL, NULL},
    {&abtc_res_customer, P,
     "{\"debtorStatus\":{\"debtorStatusId\":1,\"name\":\"Inactive\"}}",
     "debtorStatusId=1", NULL, NULL},
    {&abtc_res_customer, P,
     "{\"debtorStatus\":{\"debtorStatusId\":1,\"name\":\"Active\"}}", NULL,
     "/debtorStatus", "does not match"},
    {&abtc_res_preference, P,
     "{\"language\":{\"languageId\":1,\"name\":\"Dutch\"}}", "languageId=1",
     NULL, NULL},
    {&abtc_res_status, C, "{\"customerStatus\":{\"customerStatusId\":6}}",
     NULL, "/customerStatus", "unknown customerStatusId"},
    {&abtc_res_status, C,
     "{\"customerStatus\":{\"customerStatusId\":3,\"name\":\"Blocked\"}}",
     "customerStatusId=3", NULL, NULL},

    /* one e-mail, either spelling (#9) */
    {&abtc_res_person, P, "{\"emailAddresses\":\"TEST@HTM.NL\"}",
     "emailAddress=TEST@HTM.NL", NULL, NULL},
    {&abtc_res_person, P,
     "{\"emailAddress\":\"a@b.nl\",\"emailAddresses\":\"a@b.nl\"}",
     "emailAddress=a@b.nl", NULL, NULL},
    {&abtc_res_person, P,
     "{\"emailAddress\":\"a@b.nl\",\"emailAddresses\":\"c@d.nl\"}", NULL,
     "/emailAddresses", "conflicts with emailAddress"},
    {&abtc_res_person, P,
     "{\"emailAddress\":null,\"emailAddresses\":\"a@b.nl\"}", NULL,
     "/emailAddresses", "conflicts with emailAddress"},
    {&abtc_res_person, P, "{\"emailAddress\":null}", "emailAddress=NULL",
     NULL, NULL},
    {&abtc_res_person, P, "{\"emailAddress\":\"no-at-sign\"}", NULL,
     "/emailAddress", "e-mail"},

    /* a member no spelling covers (pointer escaped per RFC 6901) */
    {&abtc_res_phone, P, "{\"numbr\":\"0701112233\"}", NULL, "/numbr",
     "unknown field of phone"},
    {&abtc_res_phone, P, "{\"phone\":{\"phoneTypeId\":1,\"colour\":\"red\"}}",
     NULL, "/phone/colour", "unknown field of phone"},
    {&abtc_res_phone, P, "{\"a/b~c\":1}", NULL, "/a~1b~0c",
     "unknown field"},
    {&abtc_res_address, P, "{\"addressTypeID\":1}", NULL, "/addressTypeID",
     "unknown field of address"},
    {&abtc_res_phone, P, "{\"phone\":\"0701112233\"}", NULL, "/phone",
     "unknown field"},
    {&abtc_res_customer, C, "{\"person\":{}}", NULL, "/person",
     "unknown field of customer profile"},
    {&abtc_res_billing, P, "{\"created\":\"2024-03-22T08:55:00\","
     "\"alias\":\"x\",\"balance\":30}", NULL, "/balance", "unknown field"},

    /* required on create (D1): a missing one inside an envelope, and the
     * nested lookup spelling satisfying it */
    {&abtc_res_phone, C,
     "{\"phone\":{\"number\":\"1\",\"countryCode\":\"+31\"}}", NULL,
     "/phone/phoneTypeId", "is required"},
    {&abtc_res_address, C,
     "{\"street\":\"s\",\"houseNumber\":1,\"postalCode\":\"1234AB\","
     "\"city\":\"c\",\"country\":\"NL\",\"addressType\":"
     "{\"addressTypeId\":1,\"name\":\"Shipping\"}}",
     "street=s;houseNumber=1;postalCode=1234AB;city=c;country=NL;"
     "addressTypeId=1", NULL, NULL},

    /* null: refused on NOT NULL fields, SQL NULL elsewhere */
    {&abtc_res_phone, P, "{\"number\":null}", NULL, "/number",
     "must not be null"},
    {&abtc_res_address, P, "{\"isPreferred\":null}", NULL, "/isPreferred",
     "must not be null"},
    {&abtc_res_customer, P, "{\"debtorStatusId\":null}", NULL,
     "/debtorStatusId", "must not be null"},
    {&abtc_res_address, P, "{\"addressType\":null}", NULL, "/addressType",
     "must not be null"},
    {&abtc_res_address, C,
     "{\"street\":null,\"houseNumber\":1,\"postalCode\":\"1234AB\","
     "\"city\":\"c\",\"country\":\"NL\",\"addressTypeId\":1}", NULL,
     "/street", "must not be null"},
    {&abtc_res_address, P, "{\"houseNumberSuffix\":null}",
     "houseNumberSuffix=NULL", NULL, NULL},
    {&abtc_res_billing, P, "{\"bic\":null,\"alias\":null}",
     "bic=NULL;alias=NULL", NULL, NULL},
    {&abtc_res_token, P,
     "{\"expirationDate\":null,\"replacedByTokenId\":null}",
     "expirationDate=NULL;replacedByTokenId=NULL", NULL, NULL},
    {&abtc_res_customer, P, "{\"lastLogin\":null}", "lastLogin=NULL", NULL,
     NULL},

    /* read-only ids (#7): ignored on create; on PATCH equal to the path */
    {&abtc_res_phone, P, "{\"phoneId\":10,\"phoneTypeId\":2}",
     "phoneTypeId=2", NULL, NULL},
    {&abtc_res_phone, P, "{\"phoneId\":11,\"phoneTypeId\":2}", NULL,
     "/phoneId", "read-only"},
    {&abtc_res_phone, P, "{\"phone\":{\"phoneId\":11}}", NULL,
     "/phone/phoneId", "read-only"},
    {&abtc_res_phone, P, "{\"phoneId\":\"10\"}", NULL, "/phoneId",
     "read-only"},
    {&abtc_res_phone, C,
     "{\"phoneId\":99,\"number\":\"1\",\"countryCode\":\"+31\","
     "\"phoneTypeId\":1}", "number=1;countryCode=+31;phoneTypeId=1", NULL,
     NULL},
    {&abtc_res_billing, P,
     "{\"billingInformationId\":10,\"created\":\"anything\","
     "\"alias\":\"x\"}", "alias=x", NULL, NULL},
    {&abtc_res_billing, P, "{\"billingInformationId\":9}", NULL,
     "/billingInformationId", "read-only"},
    {&abtc_res_token, P, "{\"ovPayTokenId\":10}", "", NULL, NULL},
    {&abtc_res_token, P, "{\"ovPayTokenId\":11}", NULL, "/ovPayTokenId",
     "read-only"},
    {&abtc_res_chipcard, P, "{\"ovChipCardId\":10,\"alias\":\"a\"}",
     "alias=a", NULL, NULL},
    {&abtc_res_chipcard, P, "{\"ovChipCardId\":1}", NULL, "/ovChipCardId",
     "read-only"},
    {&abtc_res_mandate, P, "{\"directDebitMandateId\":11}", NULL,
     "/directDebitMandateId", "read-only"},
    {&abtc_res_preference, P, "{\"customerPreferenceId\":11}", NULL,
     "/customerPreferenceId", "read-only"},
    {&abtc_res_address, P, "{\"addressId\":10.0}", NULL, "/addressId",
     "read-only"},
    {&abtc_res_person, P, "{\"personId\":11}", NULL, "/personId",
     "read-only"},

    /* integers: never from a fraction, exponent, string or overflow */
    {&abtc_res_address, P, "{\"houseNumber\":1.5}", NULL, "/houseNumber",
     "must be an integer"},
    {&abtc_res_address, P, "{\"houseNumber\":1e3}", NULL, "/houseNumber",
     "must be an integer"},
    {&abtc_res_address, P, "{\"houseNumber\":99999999999999999999}", NULL,
     "/houseNumber", "must be an integer"},
    {&abtc_res_address, P, "{\"houseNumber\":\"5\"}", NULL, "/houseNumber",
     "must be an integer"},
    {&abtc_res_address, P, "{\"houseNumber\":-1}", NULL, "/houseNumber",
     "between 0 and 999999"},
    {&abtc_res_address, P, "{\"houseNumber\":1000000}", NULL,
     "/houseNumber", "between 0 and 999999"},
    {&abtc_res_address, P, "{\"houseNumber\":999999}",
     "houseNumber=999999", NULL, NULL},
    {&abtc_res_token, P, "{\"replacedByTokenId\":99999999999999999999}",
     NULL, "/replacedByTokenId", "must be an integer"},
    {&abtc_res_token, P, "{\"replacedByTokenId\":-9223372036854775809}",
     NULL, "/replacedByTokenId", "must be an integer"},
    {&abtc_res_token, P, "{\"replacedByTokenId\":9223372036854775807}",
     "replacedByTokenId=9223372036854775807", NULL, NULL},
    {&abtc_res_token, P, "{\"replacedByTokenId\":0}", NULL,
     "/replacedByTokenId", "between 1 and"},

    /* booleans are JSON true/false only */
    {&abtc_res_phone, P, "{\"isPreferred\":\"true\"}", NULL, "/isPreferred",
     "must be true or false"},
    {&abtc_res_phone, P, "{\"isPreferred\":1}", NULL, "/isPreferred",
     "must be true or false"},
    {&abtc_res_phone, P, "{\"isPreferred\":false}", "isPreferred=false",
     NULL, NULL},

    /* dates and date-times (D7, D8) */
    {&abtc_res_token, P, "{\"expirationDate\":\"2023-02-30T00:00:00\"}",
     NULL, "/expirationDate", INVALID_DATETIME},
    {&abtc_res_customer, P, "{\"lastLogin\":\"yesterday\"}", NULL,
     "/lastLogin", "'yesterday' is not a valid Datetime"},
    {&abtc_res_customer, P, "{\"lastLogin\":\"2023-02-01 00:00:00\"}",
     "lastLogin=2023-02-01T00:00:00", NULL, NULL},
    {&abtc_res_token, P, "{\"expirationDate\":\"2029-03-22T09:00:00\"}",
     "expirationDate=2029-03-22T09:00:00", NULL, NULL},
    {&abtc_res_token, P, "{\"expirationDate\":20260420}", NULL,
     "/expirationDate", "date-time string"},
    {&abtc_res_chipcard, P, "{\"validUntil\":\"2023-02-30\"}", NULL,
     "/validUntil", "valid date"},
    {&abtc_res_chipcard, P, "{\"validUntil\":\"2027-01-01T00:00:00\"}", NULL,
     "/validUntil", "valid date"},
    {&abtc_res_person, P, "{\"dateOfBirth\":\"1970-01-01\"}",
     "dateOfBirth=1970-01-01", NULL, NULL},

    /* free text */
    {&abtc_res_chipcard, P, "{\"alias\":5}", NULL, "/alias",
     "must be a string"},
    {&abtc_res_chipcard, P, "{\"alias\":\"   \"}", NULL, "/alias",
     "must not be blank"},
    {&abtc_res_billing, P, "{\"alias\":\"" HOSTILE "\"}",
     "alias=" HOSTILE, NULL, NULL},
    {&abtc_res_mandate, P, "{\"mandateReference\":"
     "\"123456789012345678901234567890123456\"}", NULL, "/mandateReference",
     "at most 35 characters"},
};

START_TEST(test_body_map)
{
    const map_case_t *c = &map_cases[_i];
    abtc_problem_t *pr = bad_request();
    const char *got = map_body(c->res, c->mode, c->body, NULL, pr);
    const abtc_problem_error_t *e;

    if (c->values) {
        ck_assert_msg(got != NULL, "%s: refused: %s", c->body, pr->detail);
        ck_assert_str_eq(got, c->values);
        return;
    }
    ck_assert_msg(got == NULL, "%s: accepted as %s", c->body, got);
    ck_assert_msg(pr->errors->nelts == 1, "%s: errors %s", c->body,
                  error_names(pr));
    e = error_at(pr, 0);
    ck_assert_ptr_null(e->parameter);
    ck_assert_pstr_eq(e->pointer, c->pointer);
    ck_assert_msg(strstr(e->detail, c->detail) != NULL,
                  "%s: detail \"%s\" lacks \"%s\"", c->body, e->detail,
                  c->detail);
    json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
}
END_TEST

/* D1: the fields required on create, per resource (ERRATA #8). */
static const struct {
    const abtc_resource_t *res;
    const char *pointers;
} required_cases[] = {
    {&abtc_res_address,
     "/street,/houseNumber,/postalCode,/city,/country,/addressTypeId"},
    {&abtc_res_phone, "/number,/countryCode,/phoneTypeId"},
    {&abtc_res_billing, "/iban,/ascription"},
    {&abtc_res_token, "/tokenTypeId,/tokenStatusId"},
    {&abtc_res_chipcard, "/chipCardNumber"},
    {&abtc_res_mandate,
     "/directDebitMandateTypeId,/mandateReference,/mandateState"},
    {&abtc_res_status, "/customerStatusId"},
    {&abtc_res_preference, "/languageId"},
    {&abtc_res_customer, ""},
    {&abtc_res_person, ""},
};

START_TEST(test_body_required)
{
    abtc_problem_t *pr = bad_request();
    int i;

    map_body(required_cases[_i].res, ABTC_BODY_CREATE, "{}", NULL, pr);
    ck_assert_str_eq(error_names(pr), required_cases[_i].pointers);
    for (i = 0; pr->errors && i < pr->errors->nelts; i++) {
        ck_assert_str_eq(error_at(pr, i)->detail, "is required");
    }
    /* nothing is required on PATCH */
    pr = bad_request();
    ck_assert_pstr_eq(map_body(required_cases[_i].res, ABTC_BODY_PATCH, "{}",
                               NULL, pr), "");
}
END_TEST

/* Every problem of a body is reported, not just the first. */
START_TEST(test_body_all_errors)
{
    abtc_problem_t *pr = bad_request();
    json_object *doc;

    ck_assert_ptr_null(map_body(&abtc_res_phone, ABTC_BODY_CREATE,
                                "{\"number\":\"abc\",\"countryCode\":"
                                "\"+999999\",\"foo\":1}", NULL, pr));
    ck_assert_str_eq(error_names(pr),
                     "/foo,/number,/countryCode,/phoneTypeId");
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
    ck_assert_int_eq(json_object_array_length(jmember(doc, "errors")), 4);
    ck_assert_pstr_eq(jstr(doc, "detail"), "/foo: unknown field of phone");
}
END_TEST

/* D8: an unparseable date-time gives the seed's own error shape. */
START_TEST(test_body_datetime_problem)
{
    abtc_problem_t *pr = bad_request();
    json_object *doc, *e0;

    ck_assert_ptr_null(map_body(&abtc_res_token, ABTC_BODY_PATCH,
                                "{\"ovpaytoken\":{\"expirationDate\":"
                                "\"2023-02-30T00:00:00\"}}", NULL, pr));
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
    ck_assert_pstr_eq(jstr(doc, "type"),
                      "https://htm.nl/api/v1/probs/bad-request");
    ck_assert_pstr_eq(jstr(doc, "title"), DATATYPE_TITLE);
    ck_assert_pstr_eq(jstr(doc, "detail"), INVALID_DATETIME);
    e0 = json_object_array_get_idx(jmember(doc, "errors"), 0);
    ck_assert_pstr_eq(jstr(e0, "pointer"), "/ovpaytoken/expirationDate");
    ck_assert_pstr_eq(jstr(e0, "detail"), INVALID_DATETIME);
}
END_TEST

/* The full POST /customers example, part by part as the operation maps
 * it: members handled by the caller are passed as extra. */
START_TEST(test_body_full_profile)
{
    static const char *const customer_extra[] = {
        "person", "addresses", "phones", "customerPreference", NULL
    };
    static const char *const person_extra[] = {
        "addresses", "address", "phones", NULL
    };
    static const char full[] =
        "{\"customerPreference\":{\"languageId\":1},\"debtorStatusId\":2,"
        "\"person\":{\"birthname\":\"Jan\",\"surname\":\"Jansen\","
        "\"prefix\":\"de\",\"suffix\":\"jr\",\"dateOfBirth\":\"1970-01-01\","
        "\"emailAddress\":\"j.jansen@hatseflats.nl\"},"
        "\"addresses\":[{\"street\":\"Laan van Meerdervoort\","
        "\"houseNumber\":5,\"houseNumberSuffix\":\"B\",\"postalCode\":"
        "\"2500AA\",\"city\":\"Den Haag\",\"country\":\"NL\","
        "\"addressTypeId\":1},{\"street\":\"Beeklaan\",\"houseNumber\":30,"
        "\"houseNumberSuffix\":\"B\",\"postalCode\":\"2500AA\",\"city\":"
        "\"Den Haag\",\"country\":\"NL\",\"addressTypeId\":2}],"
        "\"phones\":[{\"number\":\"6123456789\",\"countryCode\":\"+31\","
        "\"phoneTypeId\":1,\"isPreferred\":true},{\"number\":\"7012345678\","
        "\"countryCode\":\"+31\",\"phoneTypeId\":2,\"isPreferred\":false}]}";
    json_object *body = jparse(full);
    abtc_problem_t *pr = bad_request();
    apr_pool_t *p = abtc_test_pool;

    ck_assert_str_eq(values_text(abtc_body_map(p, &abtc_res_customer, body,
                                               ABTC_BODY_CREATE, 0, "",
                                               customer_extra, pr)),
                     "debtorStatusId=2");
    ck_assert_str_eq(values_text(abtc_body_map(p, &abtc_res_person,
                                               jmember(body, "person"),
                                               ABTC_BODY_CREATE, 0, "/person",
                                               person_extra, pr)),
                     "birthname=Jan;surname=Jansen;prefix=de;suffix=jr;"
                     "dateOfBirth=1970-01-01;"
                     "emailAddress=j.jansen@hatseflats.nl");
    ck_assert_str_eq(values_text(abtc_body_map(p, &abtc_res_preference,
                                               jmember(body,
                                                       "customerPreference"),
                                               ABTC_BODY_CREATE, 0,
                                               "/customerPreference", NULL,
                                               pr)),
                     "languageId=1");
    ck_assert_str_eq(values_text(abtc_body_map(p, &abtc_res_address,
                         json_object_array_get_idx(jmember(body, "addresses"),
                                                   1),
                         ABTC_BODY_CREATE, 0, "/addresses/1", NULL, pr)),
                     "street=Beeklaan;houseNumber=30;houseNumberSuffix=B;"
                     "postalCode=2500AA;city=Den Haag;country=NL;"
                     "addressTypeId=2");
    ck_assert_str_eq(values_text(abtc_body_map(p, &abtc_res_phone,
                         json_object_array_get_idx(jmember(body, "phones"),
                                                   0),
                         ABTC_BODY_CREATE, 0, "/phones/0", NULL, pr)),
                     "number=6123456789;countryCode=+31;phoneTypeId=1;"
                     "isPreferred=true");
    ck_assert_msg(!abtc_problem_has_errors(pr), "%s", error_names(pr));
    /* pointers of nested items carry their path */
    abtc_body_map(p, &abtc_res_phone, jparse("{\"isPreferred\":\"yes\"}"),
                  ABTC_BODY_CREATE, 0, "/person/phones/3", NULL, pr);
    ck_assert_str_eq(error_names(pr),
                     "/person/phones/3/number,/person/phones/3/countryCode,"
                     "/person/phones/3/phoneTypeId,"
                     "/person/phones/3/isPreferred");
}
END_TEST

START_TEST(test_body_value)
{
    apr_array_header_t *values = values_of(&abtc_res_address,
                                           ABTC_BODY_PATCH,
                                           "{\"houseNumberSuffix\":null,"
                                           "\"city\":\"Den Haag\"}");
    int present = -1;

    ck_assert_pstr_eq(abtc_body_value(values, "city", &present), "Den Haag");
    ck_assert_int_eq(present, 1);
    ck_assert_ptr_null(abtc_body_value(values, "houseNumberSuffix",
                                       &present));
    ck_assert_int_eq(present, 1);
    ck_assert_ptr_null(abtc_body_value(values, "street", &present));
    ck_assert_int_eq(present, 0);
    ck_assert_pstr_eq(abtc_body_value(values, "city", NULL), "Den Haag");
}
END_TEST

/* ------------------------------------------------------------------ */
/* abtc_sql                                                            */

#define OWNER_MANDATE "(SELECT ob.customer_profile_id FROM " \
    "billing_information ob WHERE ob.billing_information_id = " \
    "direct_debit_mandate.billing_information_id)"

typedef enum { SQL_INSERT, SQL_UPDATE, SQL_DELETE } sql_kind_t;

static const struct {
    sql_kind_t kind;
    const abtc_resource_t *res;
    const char *body;       /* CREATE for INSERT, PATCH for UPDATE */
    apr_int64_t id;         /* parent on INSERT, the row otherwise */
    const char *suffix;
    const char *text;       /* RETURNING <owner>, 1 */
    const char *params;
} sql_cases[] = {
    {SQL_INSERT, &abtc_res_phone, SEED_PHONE, 7, NULL,
     "INSERT INTO phone (customer_profile_id, number, country_code, "
     "phone_type_id, is_preferred) VALUES ($1::bigint, $2, $3, $4::bigint, "
     "$5::boolean) RETURNING customer_profile_id, 1",
     "7|0701112233|+31|1|true"},
    {SQL_INSERT, &abtc_res_address,
     "{\"street\":\"Sesamstraat\",\"houseNumber\":1,"
     "\"houseNumberSuffix\":null,\"postalCode\":\"1234 AB\",\"city\":"
     "\"Den Haag\",\"country\":\"NL\",\"addressTypeId\":1}", 7, NULL,
     "INSERT INTO address (customer_profile_id, street, house_number, "
     "house_number_suffix, postal_code, city, country, address_type_id) "
     "VALUES ($1::bigint, $2, $3::bigint, $4, $5, $6, $7, $8::bigint) "
     "RETURNING customer_profile_id, 1",
     "7|Sesamstraat|1|NULL|1234AB|Den Haag|NL|1"},
    {SQL_INSERT, &abtc_res_token, SEED_EMV, 7, NULL,
     "INSERT INTO ov_pay_token (customer_profile_id, token_type_id, x_tat, "
     "x_bot, alias, token_status_id, expiration_date) VALUES ($1::bigint, "
     "$2::bigint, $3, $4, $5, $6::bigint, abt_ts_in($7::text, $8::text)) "
     "RETURNING customer_profile_id, 1",
     "7|1|" XTAT "|" XBOT "|Mijn Rabo Pas|2|2026-04-20T17:05:52.000+02:00|"
     TZ},
    {SQL_INSERT, &abtc_res_chipcard,
     "{\"chipCardNumber\":\"1234123412341234\",\"validUntil\":"
     "\"2027-01-01\"}", 7, NULL,
     "INSERT INTO ov_chipcard (customer_profile_id, chip_card_number, "
     "valid_until) VALUES ($1::bigint, $2, $3::date) "
     "RETURNING customer_profile_id, 1",
     "7|1234123412341234|2027-01-01"},
    {SQL_INSERT, &abtc_res_mandate,
     "{\"directDebitMandateTypeId\":1,\"mandateReference\":"
     "\"HTM-mandate-001\",\"mandateState\":\"PREPARED\"}", 13, NULL,
     "INSERT INTO direct_debit_mandate (billing_information_id, "
     "direct_debit_mandate_type_id, mandate_reference, mandate_state) "
     "VALUES ($1::bigint, $2::bigint, $3, $4) RETURNING " OWNER_MANDATE
     ", 1",
     "13|1|HTM-mandate-001|PREPARED"},
    /* POST /customers with {}: no parent, no values */
    {SQL_INSERT, &abtc_res_customer, "{}", 0, NULL,
     "INSERT INTO customer_profile DEFAULT VALUES "
     "RETURNING customer_profile_id, 1", ""},
    {SQL_INSERT, &abtc_res_customer,
     "{\"debtorStatusId\":2,\"lastLogin\":\"2024-01-01 10:00\"}", 0, NULL,
     "INSERT INTO customer_profile (debtor_status_id, last_login) VALUES "
     "($1::bigint, abt_ts_in($2::text, $3::text)) "
     "RETURNING customer_profile_id, 1",
     "2|2024-01-01T10:00:00|" TZ},
    {SQL_INSERT, &abtc_res_preference, "{\"languageId\":1}", 7,
     "ON CONFLICT (customer_profile_id) DO NOTHING",
     "INSERT INTO customer_preference (customer_profile_id, language_id) "
     "VALUES ($1::bigint, $2::bigint) ON CONFLICT (customer_profile_id) "
     "DO NOTHING RETURNING customer_profile_id, 1", "7|1"},
    {SQL_UPDATE, &abtc_res_phone, "{\"phoneTypeId\":2}", 10, NULL,
     "UPDATE phone SET phone_type_id = $2::bigint WHERE phone_id = "
     "$1::bigint RETURNING customer_profile_id, 1", "10|2"},
    {SQL_UPDATE, &abtc_res_address,
     "{\"isPreferred\":true,\"houseNumberSuffix\":null}", 10, NULL,
     "UPDATE address SET house_number_suffix = $2, is_preferred = "
     "$3::boolean WHERE address_id = $1::bigint "
     "RETURNING customer_profile_id, 1", "10|NULL|true"},
    {SQL_UPDATE, &abtc_res_customer,
     "{\"lastLogin\":\"2024-01-01T10:00:00Z\",\"debtorStatusId\":1}", 10,
     NULL,
     "UPDATE customer_profile SET debtor_status_id = $2::bigint, "
     "last_login = abt_ts_in($3::text, $4::text) WHERE customer_profile_id "
     "= $1::bigint RETURNING customer_profile_id, 1",
     "10|1|2024-01-01T10:00:00Z|" TZ},
    /* D27: a mandate's updateTimestamp moves with every change */
    {SQL_UPDATE, &abtc_res_mandate, "{\"mandateState\":\"CANCELLED\"}", 14,
     NULL,
     "UPDATE direct_debit_mandate SET mandate_state = $2, update_timestamp "
     "= clock_timestamp() WHERE direct_debit_mandate_id = $1::bigint "
     "RETURNING " OWNER_MANDATE ", 1", "14|CANCELLED"},
    {SQL_DELETE, &abtc_res_address, NULL, 9, NULL,
     "DELETE FROM address WHERE address_id = $1::bigint "
     "RETURNING customer_profile_id, 1", "9"},
    {SQL_DELETE, &abtc_res_token, NULL, APR_INT64_MAX, NULL,
     "DELETE FROM ov_pay_token WHERE ov_pay_token_id = $1::bigint "
     "RETURNING customer_profile_id, 1", "9223372036854775807"},
    {SQL_DELETE, &abtc_res_chipcard, NULL, 16, NULL,
     "DELETE FROM ov_chipcard WHERE ov_chip_card_id = $1::bigint "
     "RETURNING customer_profile_id, 1", "16"},
    {SQL_DELETE, &abtc_res_phone, NULL, 12, NULL,
     "DELETE FROM phone WHERE phone_id = $1::bigint "
     "RETURNING customer_profile_id, 1", "12"},
};

START_TEST(test_sql_statement)
{
    abtc_stmt_t *st = NULL;

    switch (sql_cases[_i].kind) {
    case SQL_INSERT:
        st = abtc_sql_insert(abtc_test_pool, sql_cases[_i].res,
                             values_of(sql_cases[_i].res, ABTC_BODY_CREATE,
                                       sql_cases[_i].body),
                             sql_cases[_i].id, sql_cases[_i].suffix, "1", TZ);
        break;
    case SQL_UPDATE:
        st = abtc_sql_update(abtc_test_pool, sql_cases[_i].res,
                             values_of(sql_cases[_i].res, ABTC_BODY_PATCH,
                                       sql_cases[_i].body),
                             sql_cases[_i].id, "1", TZ);
        break;
    case SQL_DELETE:
        st = abtc_sql_delete(abtc_test_pool, sql_cases[_i].res,
                             sql_cases[_i].id, "1");
        break;
    }
    ck_assert_str_eq(st->text, sql_cases[_i].text);
    ck_assert_str_eq(params_text(st->params), sql_cases[_i].params);
}
END_TEST

/* Free-text fields that can hold an injection attempt. */
static const struct {
    const abtc_resource_t *res;
    const char *name;
} hostile_fields[] = {
    {&abtc_res_billing, "alias"}, {&abtc_res_billing, "ascription"},
    {&abtc_res_chipcard, "alias"}, {&abtc_res_token, "alias"},
    {&abtc_res_address, "street"}, {&abtc_res_address, "city"},
    {&abtc_res_person, "birthname"}, {&abtc_res_person, "surname"},
    {&abtc_res_person, "prefix"},
};

START_TEST(test_sql_hostile)
{
    const char *body = apr_psprintf(abtc_test_pool, "{\"%s\":\"%s\"}",
                                    hostile_fields[_i].name, HOSTILE);
    apr_array_header_t *values = values_of(hostile_fields[_i].res,
                                           ABTC_BODY_PATCH, body);
    abtc_stmt_t *st[2];
    int k;

    st[0] = abtc_sql_insert(abtc_test_pool, hostile_fields[_i].res, values,
                            1, NULL, "1", TZ);
    st[1] = abtc_sql_update(abtc_test_pool, hostile_fields[_i].res, values, 1,
                            "1", TZ);
    for (k = 0; k < 2; k++) {
        ck_assert_ptr_null(strstr(st[k]->text, "DROP"));
        ck_assert_ptr_null(strchr(st[k]->text, '\''));
        ck_assert_str_eq(param_at(st[k], st[k]->params->nelts - 1), HOSTILE);
    }
}
END_TEST

/* Several date-times share one time-zone parameter. */
START_TEST(test_sql_datetime_tz)
{
    static const abtc_field_t fields[] = {
        { "a", NULL, ABTC_V_DATETIME, "a_at", NULL, NULL, NULL, 0, 0, 0 },
        { "b", NULL, ABTC_V_DATETIME, "b_at", NULL, NULL, NULL, 0, 0, 0 },
        { NULL, NULL, 0, NULL, NULL, NULL, NULL, 0, 0, 0 }
    };
    static const char *const no_env[] = { NULL };
    static const abtc_resource_t res = {
        "thing", "thing", "thing_id", "thingId", NULL, NULL, "owner_id",
        no_env, fields, NULL
    };
    apr_array_header_t *values = apr_array_make(abtc_test_pool, 2,
                                                sizeof(abtc_value_t));
    abtc_value_t *v;
    abtc_stmt_t *st;

    v = apr_array_push(values);
    v->field = &fields[0];
    v->value = "2024-01-01T00:00:00";
    v = apr_array_push(values);
    v->field = &fields[1];
    v->value = "2025-01-01T00:00:00Z";
    st = abtc_sql_insert(abtc_test_pool, &res, values, 0, NULL, "thing_id",
                         "UTC");
    ck_assert_str_eq(st->text, "INSERT INTO thing (a_at, b_at) VALUES "
                     "(abt_ts_in($1::text, $2::text), "
                     "abt_ts_in($3::text, $2::text)) "
                     "RETURNING owner_id, thing_id");
    ck_assert_str_eq(params_text(st->params),
                     "2024-01-01T00:00:00|UTC|2025-01-01T00:00:00Z");
    st = abtc_sql_update(abtc_test_pool, &res, values, 5, "1", "UTC");
    ck_assert_str_eq(st->text, "UPDATE thing SET a_at = abt_ts_in($2::text, "
                     "$3::text), b_at = abt_ts_in($4::text, $3::text) "
                     "WHERE thing_id = $1::bigint RETURNING owner_id, 1");
    ck_assert_str_eq(params_text(st->params),
                     "5|2024-01-01T00:00:00|UTC|2025-01-01T00:00:00Z");
}
END_TEST

START_TEST(test_sql_stmt_param)
{
    abtc_stmt_t *st = abtc_stmt_make(abtc_test_pool, "SELECT 1");

    ck_assert_str_eq(st->text, "SELECT 1");
    ck_assert_int_eq(st->params->nelts, 0);
    ck_assert_str_eq(abtc_stmt_param(st, abtc_test_pool, "a"), "$1");
    ck_assert_str_eq(abtc_stmt_param(st, abtc_test_pool, NULL), "$2");
    ck_assert_str_eq(abtc_stmt_param(st, abtc_test_pool, HOSTILE), "$3");
    ck_assert_str_eq(params_text(st->params), "a|NULL|" HOSTILE);
}
END_TEST

START_TEST(test_sql_document)
{
    static const abtc_out_t inner[] = {
        { "b", "x.b", NULL, NULL, NULL, 0 },
        { NULL, NULL, NULL, NULL, NULL, 0 }
    };
    static const abtc_out_t outer[] = {
        { "a", "x.a", NULL, NULL, NULL, 0 },
        { "obj", NULL, inner, NULL, NULL, 0 },
        { "sub", NULL, inner, "t WHERE t.id = x.id", NULL, 0 },
        { "arr", NULL, inner, "t WHERE t.id = x.id", "t.id", 1 },
        { NULL, NULL, NULL, NULL, NULL, 0 }
    };

    ck_assert_str_eq(abtc_sql_document(abtc_test_pool, outer),
                     "json_build_object('a', x.a, "
                     "'obj', json_build_object('b', x.b), "
                     "'sub', (SELECT json_build_object('b', x.b) "
                     "FROM t WHERE t.id = x.id), "
                     "'arr', coalesce((SELECT json_agg(json_build_object("
                     "'b', x.b) ORDER BY t.id) FROM t WHERE t.id = x.id), "
                     "'[]'::json))");
    ck_assert_str_eq(abtc_sql_document(abtc_test_pool, inner),
                     "json_build_object('b', x.b)");
}
END_TEST

static const abtc_search_t *const searches[] = {
    &abtc_search_customers, &abtc_search_tokens, &abtc_search_billing,
    &abtc_search_mandates,
};

/* The item documents of the four lists are well-formed SQL shapes:
 * balanced parentheses and quotes, no format holes. */
START_TEST(test_sql_search_documents)
{
    const char *doc = abtc_sql_document(abtc_test_pool, searches[_i]->doc);
    const char *s;
    int depth = 0, quoted = 0;

    ck_assert_msg(!strncmp(doc, "json_build_object(", 18), "%s", doc);
    for (s = doc; *s; s++) {
        if (*s == '\'') {
            quoted = !quoted;
        }
        else if (!quoted && *s == '(') {
            depth++;
        }
        else if (!quoted && *s == ')') {
            ck_assert_int_gt(depth, 0);
            depth--;
        }
    }
    ck_assert_int_eq(depth, 0);
    ck_assert_int_eq(quoted, 0);
    ck_assert_ptr_null(strstr(doc, "%s"));
    ck_assert_ptr_null(strstr(doc, "(null)"));
}
END_TEST

START_TEST(test_sql_customer_document)
{
    const char *doc = abtc_sql_document(abtc_test_pool,
                                        abtc_search_customers.doc);
    static const char *const parts[] = {
        "json_build_object('customerProfileId', c.customer_profile_id, ",
        "'person', json_build_object('birthname', c.birthname, ",
        "'addresses', coalesce((SELECT json_agg(json_build_object("
        "'addressId', a.address_id, ",
        "'addressType', json_build_object('addressTypeId', "
        "at.address_type_id, 'name', at.name)",
        " ORDER BY a.address_id) FROM address a JOIN address_type at",
        "'[]'::json)",
        "'debtorStatus', (SELECT json_build_object('debtorStatusId', "
        "ds.debtor_status_id, 'name', ds.name) FROM debtor_status ds",
        "'_links', json_build_object('self', json_build_object('href', "
        "$2 || '/customers?customerProfileId=' || c.customer_profile_id, "
        "'method', 'GET'))",
        "'emailAddresses', c.email_address",
    };
    int i;

    for (i = 0; i < ABTC_NELEMS(parts); i++) {
        ck_assert_msg(strstr(doc, parts[i]) != NULL, "lacks %s", parts[i]);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* abtc_search                                                         */

static const abtc_search_opts_t search_opts = { 20, 100, TZ, BASE };

/* Build the search of a raw query string as the handler does. */
static abtc_search_req_t *search(const abtc_search_t *s, const char *qs,
                                 abtc_problem_t **prp)
{
    apr_array_header_t *params;
    const char *en = NULL, *er = NULL;
    abtc_problem_t *pr = bad_request();

    ck_assert_msg(abtc_query_parse(abtc_test_pool, qs, &params, &en, &er)
                  == APR_SUCCESS, "%s: %s %s", qs, en, er);
    *prp = pr;
    return abtc_search_build(abtc_test_pool, s, params, &search_opts, pr);
}

#define CUS &abtc_search_customers
#define TOK &abtc_search_tokens
#define BIL &abtc_search_billing
#define MAN &abtc_search_mandates

/* Every documented parameter of the seed with its example value: 36 of
 * GET /customers, 14 of /ovpaytokens, 10 of /billingInformations and 13
 * of /directdebitmandates, then other accepted spellings (#9, #13, #17). */
static const struct {
    const abtc_search_t *s;
    const char *qs;
} accepted_cases[] = {
    {CUS, "customerProfileId=1"},
    {CUS, "customerNumber=1000001"},
    {CUS, "customerStatusId=1,2"},
    {CUS, "debtorNumber=DB100001"},
    {CUS, "debtorStatusId=1"},
    {CUS, "vasCustomerNumber=VAS100001"},
    {CUS, "lastLoginBefore=2022-08-04+15:01:00.000"},
    {CUS, "lastLoginAfter=2022-08-04%2015:01:00.000"},
    {CUS, "birthname=John"},
    {CUS, "surname=Doe"},
    {CUS, "prefix=de"},
    {CUS, "suffix=PhD"},
    {CUS, "emailAddress=john.doe@mymailprovider.com"},
    {CUS, "dateOfBirth=2000-01-01"},
    {CUS, "addressStreet=Sesamestreet"},
    {CUS, "addressHouseNumber=1"},
    {CUS, "addressHouseNumberSuffix=A"},
    {CUS, "addressPostalCode=1234AB"},
    {CUS, "addressCity=The+Hague"},
    {CUS, "addressCountry=NL"},
    {CUS, "phoneNumber=0123456789"},
    {CUS, "phoneCountryCode=%2B31"},
    {CUS, "chipcardNumber=0123456789"},
    {CUS, "ovChipcardAlias=My+ovchipcard"},
    {CUS, "ovPasNumber=0123456789"},
    {CUS, "ovPayTokenAlias=My+Ov+Pay+Token"},
    {CUS, "ovPayTokenXTat=180d04e0-a721-447e-a1d9-b416937b43bc"},
    {CUS, "ovPayTokenXBot=e1307c73-676a-4d07-967b-6141276f7c7c"},
    {CUS, "mandateReference=PAYT-1"},
    {CUS, "iban=NL20INGB0001234567"},
    {CUS, "bic=NL20INGB"},
    {CUS, "ascription=j.jansen"},
    {CUS, "billingAlias=Mijn+ING+bankrekening"},
    {CUS, "sort=surname"},
    {CUS, "offset=0"},
    {CUS, "limit=20"},
    {TOK, "ovPayTokenId=71"},
    {TOK, "customerProfileId=12"},
    {TOK, "tokenTypeId=1,2"},
    {TOK, "xTat=700b0516-bf8b-4e6e-bf16-13bfeb078e23"},
    {TOK, "xBot=de1a9a7a-a777-4473-889c-44a3bb07daae"},
    {TOK, "alias=Mijn+OV-pas"},
    {TOK, "lastDigits=3301"},
    {TOK, "ovpasNumber=63AW974"},
    {TOK, "tokenStatusId=1,2"},
    {TOK, "expirationDate=2029-03-22T09:00:00"},
    {TOK, "replacedByTokenId=12"},
    {TOK, "sort=-expirationDate"},
    {TOK, "offset=20"},
    {TOK, "limit=20"},
    {BIL, "customerProfileId=1"},
    {BIL, "iban=NL73RABO2677424363"},
    {BIL, "bic=GHJZIEJSKVM"},
    {BIL, "ascription=J.+Doe"},
    {BIL, "alias=John's+billing+details"},
    {BIL, "createdBefore=2020-12-31T23:59:59"},
    {BIL, "createdAfter=2020-12-31T23:59:59"},
    {BIL, "sort=created"},
    {BIL, "offset=0"},
    {BIL, "limit=20"},
    {MAN, "directDebitMandateId=71"},
    {MAN, "customerProfileId=12"},
    {MAN, "billingInformationId=51"},
    {MAN, "directDebitMandateTypeId=1,2"},
    {MAN, "createdBefore=2020-12-31T23:59:59"},
    {MAN, "createdAfter=2020-01-01T00:00:00"},
    {MAN, "mandateReference=CORE01"},
    {MAN, "mandateState=SIGNED,PREPARED"},
    {MAN, "updatedBefore=2020-12-31T23:59:59"},
    {MAN, "updatedAfter=2020-01-01T00:00:00"},
    {MAN, "sort=-updateTimestamp"},
    {MAN, "offset=0"},
    {MAN, "limit=20"},
    /* spellings that differ only in case, and aliases */
    {CUS, "chipCardNumber=0123456789"},
    {CUS, "ovpasNumber=63AW974"},
    {CUS, "emailAddresses=TEST@HTM.NL"},
    {CUS, "SURNAME=Doe"},
    {CUS, "Limit=5"},
    {CUS, "SORT=Surname"},
    {CUS, "phoneCountryCode=+31"},
    {TOK, "ovPasNumber=63AW974"},
    {TOK, "OVPASNUMBER=63AW974"},
    {BIL, "billingInformationId=51"},
};

START_TEST(test_search_accepted)
{
    abtc_problem_t *pr;
    abtc_search_req_t *sr = search(accepted_cases[_i].s, accepted_cases[_i].qs,
                                   &pr);
    const char *qs = accepted_cases[_i].qs;
    int filter = strncasecmp(qs, "sort=", 5) && strncasecmp(qs, "offset=", 7)
                 && strncasecmp(qs, "limit=", 6);

    ck_assert_msg(sr != NULL, "%s: %s", qs, pr->detail);
    ck_assert(!abtc_problem_has_errors(pr));
    /* tz, base URL, [filter], offset, limit */
    ck_assert_int_eq(sr->stmt->params->nelts, filter ? 5 : 4);
    if (filter) {
        ck_assert_ptr_null(strstr(sr->stmt->text, " WHERE true "));
    }
}
END_TEST

/* The parameters OFFSET and LIMIT refer to, whatever their numbers (the
 * builder may number them either way round). */
static void page_refs(const abtc_stmt_t *st, const char **offset,
                      const char **fetch)
{
    const char *at = strstr(st->text, " OFFSET $");
    int o = 0, l = 0;

    ck_assert_ptr_nonnull(at);
    ck_assert_int_eq(sscanf(at, " OFFSET $%d::bigint LIMIT $%d::bigint))",
                            &o, &l), 2);
    ck_assert_int_gt(o, 2);
    ck_assert_int_gt(l, 2);
    ck_assert_int_ne(o, l);
    *offset = param_at(st, o - 1);
    *fetch = param_at(st, l - 1);
}

/* The statement of an empty query, exactly. */
START_TEST(test_search_shape)
{
    abtc_problem_t *pr;
    abtc_search_req_t *sr = search(&abtc_search_customers, "", &pr);
    const char *offset, *fetch;

    ck_assert_ptr_nonnull(sr);
    /* the page's ids in order, then the documents of those ids */
    ck_assert_str_eq(sr->stmt->text,
                     "SELECT abt_customer_documents($1, $2, ARRAY(SELECT "
                     "c.customer_profile_id FROM customer_profile c WHERE "
                     "true ORDER BY c.customer_profile_id OFFSET $3::bigint "
                     "LIMIT $4::bigint))");
    ck_assert_int_eq(sr->stmt->params->nelts, 4);
    ck_assert_str_eq(param_at(sr->stmt, 0), TZ);
    ck_assert_str_eq(param_at(sr->stmt, 1), BASE);
    page_refs(sr->stmt, &offset, &fetch);
    ck_assert_str_eq(offset, "0");
    ck_assert_str_eq(fetch, "21");
    ck_assert_int_eq(sr->stmt->text_typed, 2);
    ck_assert_int_eq(sr->offset, 0);
    ck_assert_int_eq(sr->limit, 20);
    ck_assert_int_eq(sr->link_params->nelts, 0);
}
END_TEST

/* limit and offset; the statement fetches limit + 1 rows. */
static const struct {
    const abtc_search_t *s;
    const char *qs;
    apr_int64_t offset;
    apr_int64_t limit;
    const char *fetch;
} paging_cases[] = {
    {CUS, "", 0, 20, "21"},
    {CUS, "limit=100", 0, 100, "101"},
    {CUS, "limit=1", 0, 1, "2"},
    {CUS, "LIMIT=5&Offset=15", 15, 5, "6"},
    {TOK, "offset=40", 40, 20, "21"},
    {BIL, "offset=0&limit=50", 0, 50, "51"},
    {MAN, "limit=99&offset=1000", 1000, 99, "100"},
};

START_TEST(test_search_paging)
{
    abtc_problem_t *pr;
    abtc_search_req_t *sr = search(paging_cases[_i].s, paging_cases[_i].qs,
                                   &pr);
    const char *offset, *fetch;

    ck_assert_msg(sr != NULL, "%s: %s", paging_cases[_i].qs, pr->detail);
    ck_assert_int_eq(sr->offset, paging_cases[_i].offset);
    ck_assert_int_eq(sr->limit, paging_cases[_i].limit);
    page_refs(sr->stmt, &offset, &fetch);
    ck_assert_str_eq(fetch, paging_cases[_i].fetch);
    ck_assert_str_eq(offset, apr_psprintf(abtc_test_pool,
                                          "%" APR_INT64_T_FMT,
                                          paging_cases[_i].offset));
}
END_TEST

/* sort "a,-b": the fields in order, then the id as the tiebreak (D15). */
static const struct {
    const abtc_search_t *s;
    const char *qs;
    const char *order;
} sort_cases[] = {
    {CUS, "", "c.customer_profile_id"},
    {CUS, "sort=surname,-customerNumber",
     "lower(c.surname), c.customer_number DESC, c.customer_profile_id"},
    {CUS, "sort=SURNAME", "lower(c.surname), c.customer_profile_id"},
    {CUS, "sort=%2Bsurname", "lower(c.surname), c.customer_profile_id"},
    {CUS, "sort=-customerProfileId",
     "c.customer_profile_id DESC, c.customer_profile_id"},
    {CUS, "sort=-lastLogin,dateOfBirth,emailAddress",
     "c.last_login DESC, c.date_of_birth, lower(c.email_address), "
     "c.customer_profile_id"},
    {TOK, "sort=-expirationDate,alias",
     "t.expiration_date DESC, lower(t.alias), t.ov_pay_token_id"},
    {BIL, "sort=created", "b.created, b.billing_information_id"},
    {MAN, "sort=-updateTimestamp",
     "m.update_timestamp DESC, m.direct_debit_mandate_id"},
};

START_TEST(test_search_sort)
{
    abtc_problem_t *pr;
    abtc_search_req_t *sr = search(sort_cases[_i].s, sort_cases[_i].qs, &pr);
    const char *text, *tail;

    ck_assert_msg(sr != NULL, "%s: %s", sort_cases[_i].qs, pr->detail);
    text = sr->stmt->text;
    /* the order of the page's ids, which the documents keep */
    tail = apr_pstrcat(abtc_test_pool, " ORDER BY ", sort_cases[_i].order,
                       " OFFSET $3::bigint LIMIT $4::bigint))", NULL);
    ck_assert_str_eq(text + strlen(text) - strlen(tail), tail);
}
END_TEST

/* One filter: its condition and its one parameter ($3). */
static const struct {
    const abtc_search_t *s;
    const char *qs;
    const char *cond;
    const char *value;
} filter_cases[] = {
    {CUS, "surname=Doe", "WHERE lower(c.surname) = lower($3) ORDER", "Doe"},
    {CUS, "customerProfileId=1",
     "WHERE c.customer_profile_id = $3::bigint ORDER", "1"},
    {CUS, "addressPostalCode=1234+ab", "a.postal_code = $3)", "1234AB"},
    {CUS, "addressCountry=nl", "a.country = upper($3)", "nl"},
    {CUS, "phoneCountryCode=%2B31", "ph.country_code = $3)", "+31"},
    {CUS, "phoneCountryCode=+31", "ph.country_code = $3)", "+31"},
    {CUS, "phoneCountryCode=0031", "ph.country_code = $3)", "+31"},
    {CUS, "phoneNumber=070-111+2233", "abt_digits(ph.number) = $3)",
     "0701112233"},
    {CUS, "iban=nl20+ingb+0001+2345+67", "b.iban = $3)",
     "NL20INGB0001234567"},
    {CUS, "lastLoginBefore=2022-08-04+15:01:00.000",
     "c.last_login <= abt_ts_in($3, $1)", "2022-08-04T15:01:00.000"},
    {CUS, "lastLoginAfter=2023-02-01", "c.last_login >= abt_ts_in($3, $1)",
     "2023-02-01T00:00:00"},
    {CUS, "lastLoginAfter=2023-02-01+00:00:00",
     "c.last_login >= abt_ts_in($3, $1)", "2023-02-01T00:00:00"},
    {CUS, "customerStatusId=2",
     "EXISTS (SELECT 1 FROM customer_status_instance si WHERE "
     "si.customer_profile_id = c.customer_profile_id AND si.to_inclusive IS "
     "NULL AND si.customer_status_id = ANY ($3::int[]))", "{2}"},
    {CUS, "emailAddresses=TEST@HTM.NL",
     "lower(c.email_address) = lower($3)", "TEST@HTM.NL"},
    {CUS, "ovPayTokenXTat=180D04E0-A721-447E-A1D9-B416937B43BC",
     "t.x_tat = $3::uuid)", "180d04e0-a721-447e-a1d9-b416937b43bc"},
    {CUS, "mandateReference=PAYT-1",
     "EXISTS (SELECT 1 FROM billing_information mb JOIN "
     "direct_debit_mandate m ON m.billing_information_id = "
     "mb.billing_information_id WHERE mb.customer_profile_id = "
     "c.customer_profile_id AND lower(m.mandate_reference) = lower($3))",
     "PAYT-1"},
    {TOK, "expirationDate=2029-03-22T09:00:00",
     "WHERE t.expiration_date = abt_ts_in($3, $1) ORDER",
     "2029-03-22T09:00:00"},
    /* D25: a date alone is that whole day */
    {TOK, "expirationDate=2029-03-22",
     "WHERE t.expiration_date >= abt_ts_in($3, $1) AND t.expiration_date < "
     "abt_ts_in(($3::date + 1)::text, $1) ORDER", "2029-03-22T00:00:00"},
    {TOK, "ovPasNumber=63aw974", "lower(t.ovpas_number) = lower($3)",
     "63aw974"},
    {TOK, "lastDigits=0042", "t.last_digits = $3", "0042"},
    {BIL, "billingInformationId=51",
     "WHERE b.billing_information_id = $3::bigint ORDER", "51"},
    {BIL, "createdBefore=2020-12-31T23:59:59",
     "WHERE b.created <= abt_ts_in($3, $1) ORDER", "2020-12-31T23:59:59"},
    {MAN, "customerProfileId=12",
     "WHERE EXISTS (SELECT 1 FROM billing_information fb WHERE "
     "fb.billing_information_id = m.billing_information_id AND "
     "fb.customer_profile_id = $3::bigint) ORDER", "12"},
    {MAN, "updatedAfter=2020-01-01T00:00:00",
     "WHERE m.update_timestamp >= abt_ts_in($3, $1) ORDER",
     "2020-01-01T00:00:00"},
    /* lists: commas and repeats merge into one array parameter */
    {CUS, "customerStatusId=1,2", "ANY ($3::int[])", "{1,2}"},
    {CUS, "customerStatusId=1&customerStatusId=3", "ANY ($3::int[])",
     "{1,3}"},
    {CUS, "customerStatusId=1,2&customerStatusId=5", "ANY ($3::int[])",
     "{1,2,5}"},
    {CUS, "debtorStatusId=1,+2", "c.debtor_status_id = ANY ($3::int[])",
     "{1,2}"},
    {TOK, "tokenTypeId=2&TOKENTYPEID=3", "t.token_type_id = ANY ($3::int[])",
     "{2,3}"},
    {MAN, "mandateState=signed,Prepared",
     "m.mandate_state = ANY ($3::text[])", "{SIGNED,PREPARED}"},
    {MAN, "mandateState=SIGNED&mandateState=CANCELLED",
     "m.mandate_state = ANY ($3::text[])", "{SIGNED,CANCELLED}"},
};

START_TEST(test_search_filter)
{
    abtc_problem_t *pr;
    abtc_search_req_t *sr = search(filter_cases[_i].s, filter_cases[_i].qs,
                                   &pr);

    ck_assert_msg(sr != NULL, "%s: %s", filter_cases[_i].qs, pr->detail);
    ck_assert_msg(strstr(sr->stmt->text, filter_cases[_i].cond) != NULL,
                  "%s: no \"%s\" in %s", filter_cases[_i].qs,
                  filter_cases[_i].cond, strstr(sr->stmt->text, " FROM ("));
    ck_assert_int_eq(sr->stmt->params->nelts, 5);
    ck_assert_str_eq(param_at(sr->stmt, 2), filter_cases[_i].value);
}
END_TEST

#define GROUP_PARAMS TZ "|" BASE "|Sesamestreet|Den Haag|Doe|1|"

/* Filters on one child table must hold for the same row: one EXISTS. */
START_TEST(test_search_groups)
{
    abtc_problem_t *pr;
    abtc_search_req_t *sr;

    sr = search(&abtc_search_customers,
                "addressStreet=Sesamestreet&addressCity=Den+Haag&surname=Doe"
                "&addressHouseNumber=1", &pr);
    ck_assert_ptr_nonnull(sr);
    ck_assert_msg(strstr(sr->stmt->text,
                         " WHERE lower(c.surname) = lower($5) AND EXISTS "
                         "(SELECT 1 FROM address a WHERE a.customer_profile_id"
                         " = c.customer_profile_id AND lower(a.street) = "
                         "lower($3) AND lower(a.city) = lower($4) AND "
                         "a.house_number = $6::int) ORDER BY ") != NULL,
                  "%s", strstr(sr->stmt->text, " FROM ("));
    /* then offset and limit */
    ck_assert_int_eq(sr->stmt->params->nelts, 8);
    ck_assert_str_eq(apr_pstrndup(abtc_test_pool,
                                  params_text(sr->stmt->params),
                                  sizeof(GROUP_PARAMS) - 1), GROUP_PARAMS);
}
END_TEST

/* All 33 filters of GET /customers at once. */
START_TEST(test_search_all_customer_filters)
{
    const char *qs = "";
    abtc_problem_t *pr;
    abtc_search_req_t *sr;
    int i;

    /* the table opens with them */
    for (i = 0; i < 33; i++) {
        ck_assert_ptr_eq(accepted_cases[i].s, &abtc_search_customers);
        qs = apr_pstrcat(abtc_test_pool, qs, *qs ? "&" : "",
                         accepted_cases[i].qs, NULL);
    }
    sr = search(&abtc_search_customers,
                apr_pstrcat(abtc_test_pool, qs,
                            "&sort=surname&offset=0&limit=20", NULL), &pr);
    ck_assert_msg(sr != NULL, "%s", pr->detail);
    ck_assert_int_eq(sr->stmt->params->nelts, 2 + 33 + 2);
    /* status, address, phone, chip card, token, billing, mandate */
    ck_assert_int_eq(count_str(sr->stmt->text, "EXISTS (SELECT 1 FROM"), 7);
    ck_assert_int_eq(count_str(sr->stmt->text,
                               "EXISTS (SELECT 1 FROM address a"), 1);
    ck_assert_int_eq(count_str(sr->stmt->text,
                               "EXISTS (SELECT 1 FROM ov_pay_token t"), 1);
    ck_assert_int_eq(count_str(sr->stmt->text, "$37::bigint"), 1);
    ck_assert_ptr_null(strstr(sr->stmt->text, "%s"));
}
END_TEST

/* Refused queries: the parameter named and why. */
static const struct {
    const abtc_search_t *s;
    const char *qs;
    const char *parameter;
    const char *detail;
} refused_cases[] = {
    {CUS, "foo=1", "foo", "is not a known parameter"},
    {CUS, "chipCardNumbers=1", "chipCardNumbers", "not a known parameter"},
    {CUS, "surname=Doe&Colour=red", "Colour", "not a known parameter"},
    {TOK, "surname=Doe", "surname", "not a known parameter"},
    {BIL, "mandateState=SIGNED", "mandateState", "not a known parameter"},
    {MAN, "iban=NL20INGB0001234567", "iban", "not a known parameter"},
    {CUS, "limit=0", "limit", "from 1 to 100"},
    {CUS, "limit=101", "limit", "from 1 to 100"},
    {CUS, "limit=-1", "limit", "from 1 to 100"},
    {CUS, "limit=abc", "limit", "from 1 to 100"},
    {CUS, "limit=", "limit", "from 1 to 100"},
    {CUS, "limit=1.5", "limit", "from 1 to 100"},
    {CUS, "limit=20&limit=20", "limit", "more than once"},
    {CUS, "offset=-1", "offset", "at least 0"},
    {CUS, "offset=x", "offset", "at least 0"},
    {CUS, "offset=1&OFFSET=2", "OFFSET", "more than once"},
    {CUS, "sort=foo", "sort", "\"foo\""},
    {CUS, "sort=surname,-foo", "sort", "\"foo\""},
    {CUS, "sort=", "sort", "must name a field"},
    {CUS, "sort=-", "sort", "cannot sort"},
    {CUS, "sort=surname&sort=birthname", "sort", "more than once"},
    {TOK, "sort=surname", "sort", "\"surname\""},
    {CUS, "customerStatusId=1,,2", "customerStatusId", "empty items"},
    {CUS, "customerStatusId=1,", "customerStatusId", "empty items"},
    {CUS, "customerStatusId=", "customerStatusId", "empty items"},
    {CUS, "customerStatusId=1,x", "customerStatusId", "must be an integer"},
    {CUS, "debtorStatusId=99999999999", "debtorStatusId",
     "must be an integer"},
    {CUS, "surname=a&surname=b", "surname", "more than once"},
    {CUS, "surname=a&SURNAME=b", "SURNAME", "more than once"},
    {CUS, "emailAddress=a@b.nl&emailAddresses=a@b.nl", "emailAddresses",
     "more than once"},
    {CUS, "customerProfileId=1&customerProfileId=2", "customerProfileId",
     "more than once"},
    {CUS, "customerProfileId=abc", "customerProfileId", "must be an integer"},
    {CUS, "customerProfileId=99999999999999999999", "customerProfileId",
     "must be an integer"},
    {CUS, "addressHouseNumber=1.5", "addressHouseNumber",
     "must be an integer"},
    {CUS, "ovPayTokenXTat=xyz", "ovPayTokenXTat", "must be a UUID"},
    {CUS, "dateOfBirth=2000-02-30", "dateOfBirth", "valid date"},
    {CUS, "surname=", "surname", "must not be empty"},
    {CUS, "addressPostalCode=12%234", "addressPostalCode", "not a valid"},
    {CUS, "iban=++", "iban", "not a valid"},
    {TOK, "lastDigits=33a1", "lastDigits", "not a valid"},
    {MAN, "mandateState=SIGNED,REVOKED", "mandateState",
     "not one of the known values"},
    {CUS, "lastLoginBefore=2023-02-30T00:00:00", "lastLoginBefore",
     INVALID_DATETIME},
    {TOK, "expirationDate=yesterday", "expirationDate",
     "'yesterday' is not a valid Datetime"},
    {BIL, "createdAfter=2020-13-01", "createdAfter", "not a valid Datetime"},
    {MAN, "updatedBefore=2020-01-01T25:00:00", "updatedBefore",
     "not a valid Datetime"},
};

START_TEST(test_search_refused)
{
    abtc_problem_t *pr;
    abtc_search_req_t *sr = search(refused_cases[_i].s, refused_cases[_i].qs,
                                   &pr);
    const abtc_problem_error_t *e;

    ck_assert_msg(sr == NULL, "%s accepted", refused_cases[_i].qs);
    ck_assert_msg(pr->errors->nelts == 1, "%s: %s", refused_cases[_i].qs,
                  error_names(pr));
    e = error_at(pr, 0);
    ck_assert_ptr_null(e->pointer);
    ck_assert_pstr_eq(e->parameter, refused_cases[_i].parameter);
    ck_assert_msg(strstr(e->detail, refused_cases[_i].detail) != NULL,
                  "%s: detail \"%s\" lacks \"%s\"", refused_cases[_i].qs,
                  e->detail, refused_cases[_i].detail);
    json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
}
END_TEST

/* D8 in a query: the seed's title and detail. */
START_TEST(test_search_datetime_problem)
{
    abtc_problem_t *pr;
    json_object *doc;

    ck_assert_ptr_null(search(&abtc_search_customers,
                              "lastLoginBefore=2023-02-30T00:00:00", &pr));
    doc = json_valid(abtc_problem_json(abtc_test_pool, pr, CORR));
    ck_assert_pstr_eq(jstr(doc, "type"),
                      "https://htm.nl/api/v1/probs/bad-request");
    ck_assert_pstr_eq(jstr(doc, "title"), DATATYPE_TITLE);
    ck_assert_pstr_eq(jstr(doc, "detail"), INVALID_DATETIME);
    ck_assert_int_eq(json_object_get_int(jmember(doc, "status")), 400);
    /* other errors keep the standard title */
    ck_assert_ptr_null(search(&abtc_search_customers, "foo=1", &pr));
    ck_assert_ptr_null(pr->title);
    /* every problem of a query is reported */
    ck_assert_ptr_null(search(&abtc_search_customers,
                              "foo=1&limit=0&surname=&sort=bar", &pr));
    ck_assert_str_eq(error_names(pr), "foo,limit,surname,sort");
}
END_TEST

/* No condition casts its value to a fixed length: PostgreSQL truncates
 * silently on an explicit cast, so "addressCountry=NLX" would become NL
 * and widen the result instead of finding nothing (#17). */
START_TEST(test_search_no_truncation)
{
    const abtc_filter_t *f;

    for (f = searches[_i]->filters; f->name; f++) {
        ck_assert_msg(strstr(f->sql, "::char(") == NULL
                      && strstr(f->sql, "::varchar(") == NULL
                      && strstr(f->sql, "::character(") == NULL,
                      "%s: %s", f->name, f->sql);
    }
}
END_TEST

/* A hostile value for every filter: refused, or a parameter; never text. */
START_TEST(test_search_hostile)
{
    const abtc_search_t *s = searches[_i];
    const abtc_filter_t *f;

    for (f = s->filters; f->name; f++) {
        abtc_problem_t *pr;
        const char *qs = apr_pstrcat(abtc_test_pool, f->name, "=",
                                     abtc_query_escape(abtc_test_pool,
                                                       HOSTILE), NULL);
        abtc_search_req_t *sr = search(s, qs, &pr);
        int i, found = 0;

        if (f->type == ABTC_Q_TEXT && !f->norm) {
            ck_assert_msg(sr != NULL, "%s: %s", f->name, pr->detail);
        }
        if (!sr) {
            ck_assert_pstr_eq(error_at(pr, 0)->parameter, f->name);
            continue;
        }
        ck_assert_msg(strstr(sr->stmt->text, "DROP") == NULL, "%s", f->name);
        for (i = 0; i < sr->stmt->params->nelts; i++) {
            const char *v = param_at(sr->stmt, i);

            found |= v && strstr(v, "DROP") != NULL;
        }
        ck_assert_msg(found, "%s: value lost", f->name);
    }
}
END_TEST

/* ------------------------------------------------------------------ */
/* abtc_links                                                          */

static const struct {
    const char *qs;          /* the kept parameters */
    apr_int64_t offset;
    apr_int64_t limit;
    int has_more;
    const char *self;        /* after BASE "/customers" */
    const char *prev;        /* NULL: absent */
    const char *next;
} links_cases[] = {
    {"", 0, 20, 0, "", NULL, NULL},
    {"", 0, 20, 1, "", NULL, "?offset=20"},
    {"surname=Doe&limit=10&sort=-surname", 0, 10, 1,
     "?surname=Doe&limit=10&sort=-surname", NULL,
     "?surname=Doe&limit=10&sort=-surname&offset=10"},
    {"surname=Doe", 10, 20, 1, "?surname=Doe&offset=10", "?surname=Doe",
     "?surname=Doe&offset=30"},
    {"", 40, 20, 0, "?offset=40", "?offset=20", NULL},
    {"", 20, 20, 0, "?offset=20", "", NULL},
    {"", 5, 20, 1, "?offset=5", "", "?offset=25"},
    {"phoneCountryCode=%2B31&addressCity=Den+Haag&customerStatusId=1,2", 0,
     20, 0, "?phoneCountryCode=%2B31&addressCity=Den%20Haag"
     "&customerStatusId=1,2", NULL, NULL},
    {"lastLoginAfter=2022-08-04T15:01:00&alias=a%26b%3Dc", 0, 20, 0,
     "?lastLoginAfter=2022-08-04T15:01:00&alias=a%26b%3Dc", NULL, NULL},
};

static void check_link(json_object *links, const char *rel,
                       const char *expected)
{
    json_object *l = jmember(links, rel);

    if (!expected) {
        ck_assert_msg(l == NULL, "unexpected %s", rel);
        return;
    }
    ck_assert_msg(l != NULL, "no %s", rel);
    ck_assert_int_eq(json_object_object_length(l), 2);
    ck_assert_pstr_eq(jstr(l, "href"),
                      apr_pstrcat(abtc_test_pool, BASE, "/customers",
                                  expected, NULL));
    ck_assert_pstr_eq(jstr(l, "method"), "GET");
}

START_TEST(test_links_page)
{
    apr_array_header_t *params;
    const char *en, *er;
    json_object *links;

    ck_assert_int_eq(abtc_query_parse(abtc_test_pool, links_cases[_i].qs,
                                      &params, &en, &er), APR_SUCCESS);
    links = json_valid(abtc_links_page(abtc_test_pool, BASE, "/customers",
                                       params, links_cases[_i].offset,
                                       links_cases[_i].limit,
                                       links_cases[_i].has_more));
    check_link(links, "self", links_cases[_i].self);
    check_link(links, "prev", links_cases[_i].prev);
    check_link(links, "next", links_cases[_i].next);
    ck_assert_int_eq(json_object_object_length(links),
                     1 + !!links_cases[_i].prev + !!links_cases[_i].next);
}
END_TEST

/* Through a search: filters, sort and limit kept as given; offset not. */
static const struct {
    const abtc_search_t *s;
    const char *qs;
    int has_more;
    const char *self;
    const char *prev;
    const char *next;
} search_links_cases[] = {
    {CUS, "surname=Doe&offset=10&limit=20&sort=surname", 1,
     "/customers?surname=Doe&limit=20&sort=surname&offset=10",
     "/customers?surname=Doe&limit=20&sort=surname",
     "/customers?surname=Doe&limit=20&sort=surname&offset=30"},
    {CUS, "offset=60&SURNAME=Doe", 0, "/customers?SURNAME=Doe&offset=60",
     "/customers?SURNAME=Doe&offset=40", NULL},
    {TOK, "ovpasNumber=63AW974&tokenStatusId=1&tokenStatusId=2", 1,
     "/ovpaytokens?ovpasNumber=63AW974&tokenStatusId=1&tokenStatusId=2",
     NULL,
     "/ovpaytokens?ovpasNumber=63AW974&tokenStatusId=1&tokenStatusId=2"
     "&offset=20"},
    {BIL, "limit=5&offset=5", 1, "/billingInformations?limit=5&offset=5",
     "/billingInformations?limit=5", "/billingInformations?limit=5&offset=10"},
    {MAN, "", 0, "/directdebitmandates", NULL, NULL},
};

START_TEST(test_search_links)
{
    abtc_problem_t *pr;
    abtc_search_req_t *sr = search(search_links_cases[_i].s,
                                   search_links_cases[_i].qs, &pr);
    json_object *links, *l;

    ck_assert_msg(sr != NULL, "%s", pr->detail);
    links = json_valid(abtc_search_links(abtc_test_pool,
                                         search_links_cases[_i].s, sr, BASE,
                                         search_links_cases[_i].has_more));
    ck_assert_pstr_eq(jstr(jmember(links, "self"), "href"),
                      apr_pstrcat(abtc_test_pool, BASE,
                                  search_links_cases[_i].self, NULL));
    l = jmember(links, "prev");
    ck_assert_pstr_eq(l ? jstr(l, "href") : NULL,
                      search_links_cases[_i].prev
                      ? apr_pstrcat(abtc_test_pool, BASE,
                                    search_links_cases[_i].prev, NULL)
                      : NULL);
    l = jmember(links, "next");
    ck_assert_pstr_eq(l ? jstr(l, "href") : NULL,
                      search_links_cases[_i].next
                      ? apr_pstrcat(abtc_test_pool, BASE,
                                    search_links_cases[_i].next, NULL)
                      : NULL);
}
END_TEST

START_TEST(test_links_href)
{
    apr_array_header_t *params;
    const char *en, *er;

    ck_assert_int_eq(abtc_query_parse(abtc_test_pool, "a=1&b=x+y", &params,
                                      &en, &er), APR_SUCCESS);
    ck_assert_str_eq(abtc_links_href(abtc_test_pool, BASE, "/ovpaytokens",
                                     params, 0),
                     BASE "/ovpaytokens?a=1&b=x%20y");
    ck_assert_str_eq(abtc_links_href(abtc_test_pool, BASE, "/ovpaytokens",
                                     params, 7),
                     BASE "/ovpaytokens?a=1&b=x%20y&offset=7");
    params = apr_array_make(abtc_test_pool, 1, sizeof(abtc_param_t));
    ck_assert_str_eq(abtc_links_href(abtc_test_pool, "", "/customers",
                                     params, 0), "/customers");
}
END_TEST

/* ------------------------------------------------------------------ */

/* sql/R_documents.sql is what the document tables generate: the functions
 * PostgreSQL runs must be the documents this module describes. */
START_TEST(test_sql_documents_file)
{
    const char *srcdir = getenv("srcdir");
    const char *path = apr_pstrcat(abtc_test_pool, srcdir ? srcdir : ".",
                                   "/sql/R_documents.sql", NULL);
    const char *want = abtc_sql_document_functions(abtc_test_pool);
    char *have;
    apr_file_t *fh;
    apr_finfo_t fi;
    apr_size_t n;

    ck_assert_int_eq(apr_file_open(&fh, path, APR_FOPEN_READ, 0,
                                   abtc_test_pool), APR_SUCCESS);
    ck_assert_int_eq(apr_file_info_get(&fi, APR_FINFO_SIZE, fh), APR_SUCCESS);
    n = (apr_size_t)fi.size;
    have = apr_pcalloc(abtc_test_pool, n + 1);
    ck_assert_int_eq(apr_file_read_full(fh, have, n, NULL), APR_SUCCESS);
    apr_file_close(fh);
    ck_assert_msg(strcmp(have, want) == 0,
                  "sql/R_documents.sql is out of date: run `make documents`");
    ck_assert_ptr_nonnull(strstr(want, "abt_customer_documents(abt_tz text, "
                                       "abt_base text, abt_ids bigint[])"));
}
END_TEST

Suite *suite_core(void)
{
    Suite *s = suite_create("core");
    TCase *tc;

    tc = abtc_tcase(s, "route");
    tcase_add_loop_test(tc, test_route_found, 0, ABTC_NELEMS(route_found));
    tcase_add_loop_test(tc, test_route_every_op, 0, ABTC_OP_COUNT);
    tcase_add_loop_test(tc, test_route_other, 0, ABTC_NELEMS(route_other));
    tcase_add_loop_test(tc, test_route_method, 0, ABTC_NELEMS(method_cases));

    tc = abtc_tcase(s, "problem");
    tcase_add_loop_test(tc, test_problem_status, 0,
                        ABTC_NELEMS(status_cases));
    tcase_add_test(tc, test_problem_errors);
    tcase_add_test(tc, test_problem_defaults);
    tcase_add_loop_test(tc, test_json_quote, 0, ABTC_NELEMS(quote_cases));
    tcase_add_test(tc, test_problem_escaping);

    tc = abtc_tcase(s, "body");
    tcase_add_loop_test(tc, test_body_unwrap, 0, ABTC_NELEMS(unwrap_cases));
    tcase_add_loop_test(tc, test_body_map, 0, ABTC_NELEMS(map_cases));
    tcase_add_loop_test(tc, test_body_required, 0,
                        ABTC_NELEMS(required_cases));
    tcase_add_test(tc, test_body_all_errors);
    tcase_add_test(tc, test_body_datetime_problem);
    tcase_add_test(tc, test_body_full_profile);
    tcase_add_test(tc, test_body_value);

    tc = abtc_tcase(s, "sql");
    tcase_add_loop_test(tc, test_sql_statement, 0, ABTC_NELEMS(sql_cases));
    tcase_add_loop_test(tc, test_sql_hostile, 0, ABTC_NELEMS(hostile_fields));
    tcase_add_test(tc, test_sql_datetime_tz);
    tcase_add_test(tc, test_sql_stmt_param);
    tcase_add_test(tc, test_sql_document);
    tcase_add_loop_test(tc, test_sql_search_documents, 0,
                        ABTC_NELEMS(searches));
    tcase_add_test(tc, test_sql_customer_document);
    tcase_add_test(tc, test_sql_documents_file);

    tc = abtc_tcase(s, "search");
    tcase_add_loop_test(tc, test_search_accepted, 0,
                        ABTC_NELEMS(accepted_cases));
    tcase_add_test(tc, test_search_shape);
    tcase_add_loop_test(tc, test_search_paging, 0, ABTC_NELEMS(paging_cases));
    tcase_add_loop_test(tc, test_search_sort, 0, ABTC_NELEMS(sort_cases));
    tcase_add_loop_test(tc, test_search_filter, 0, ABTC_NELEMS(filter_cases));
    tcase_add_test(tc, test_search_groups);
    tcase_add_test(tc, test_search_all_customer_filters);
    tcase_add_loop_test(tc, test_search_refused, 0,
                        ABTC_NELEMS(refused_cases));
    tcase_add_test(tc, test_search_datetime_problem);
    tcase_add_loop_test(tc, test_search_no_truncation, 0,
                        ABTC_NELEMS(searches));
    tcase_add_loop_test(tc, test_search_hostile, 0, ABTC_NELEMS(searches));

    tc = abtc_tcase(s, "links");
    tcase_add_loop_test(tc, test_links_page, 0, ABTC_NELEMS(links_cases));
    tcase_add_loop_test(tc, test_search_links, 0,
                        ABTC_NELEMS(search_links_cases));
    tcase_add_test(tc, test_links_href);
    return s;
}
