/* mod_abtcustomers_ops.c: the 25 operations.
 *
 * Most operations are one of four shapes (search, create, patch, delete)
 * over a resource of abtc_resource; the table at the end says which, with
 * the response each answers. Three need steps of their own: creating a
 * customer (profile, status, preference, addresses and phones in one
 * transaction), a status change (D17: close the open instance, open a new
 * one, serialised per customer) and the preference upsert (D18).
 */

#include "mod_abtcustomers.h"
#include "mod_abtcustomers_db.h"
#include "abtc_body.h"
#include "abtc_jsonparse.h"
#include "abtc_query.h"
#include "abtc_search.h"
#include "abtc_sql.h"

#include "http_protocol.h"

#include <apr_strings.h>
#include <string.h>

APLOG_USE_MODULE(abtcustomers);

typedef struct op_def op_def_t;
typedef int (*op_guard_fn)(abtc_req_t *rq, const apr_array_header_t *values,
                           abtc_problem_t **pr);

struct op_def {
    abtc_op_fn fn;
    const abtc_resource_t *res;
    const abtc_search_t *search;   /* list, or the full object a PATCH answers */
    int status;                    /* on success */
    const char *returning;         /* response document, built by RETURNING */
    const char *insert_suffix;     /* e.g. ON CONFLICT for the upsert */
    op_guard_fn guard;             /* checks inside the transaction */
};

static const op_def_t *op_def(const abtc_req_t *rq);

#define TZ(rq) ((rq)->cfg->time_zone)

static const char *id_text(abtc_req_t *rq, apr_int64_t id)
{
    return apr_psprintf(rq->r->pool, "%" APR_INT64_T_FMT, id);
}

static int fail(abtc_req_t *rq, abtc_problem_t *pr)
{
    abtc_db_rollback(rq);
    return abtc_send_problem(rq, pr);
}

static abtc_problem_t *not_found(abtc_req_t *rq, const abtc_resource_t *res)
{
    if (rq->id == 0) {
        /* an id out of range: it cannot exist */
        return abtc_problem_makef(rq->r->pool, HTTP_NOT_FOUND,
                                  "No %s with this %s exists.", res->name,
                                  rq->route->id_name);
    }
    return abtc_problem_makef(rq->r->pool, HTTP_NOT_FOUND,
                              "No %s with %s %" APR_INT64_T_FMT " exists.",
                              res->name, rq->route->id_name, rq->id);
}

static abtc_problem_t *bad_request(abtc_req_t *rq)
{
    return abtc_problem_make(rq->r->pool, HTTP_BAD_REQUEST, NULL);
}

/* ---- searches ---- */

/* Run a search; *items gets the documents joined by commas and compacted
 * (*items_len bytes, NUL-terminated), *more whether a next page exists. */
static int search_run(abtc_req_t *rq, const abtc_search_t *s,
                      const apr_array_header_t *params,
                      abtc_search_req_t **srp, const char **items,
                      apr_size_t *items_len, int *more, abtc_problem_t **pr)
{
    apr_pool_t *p = rq->r->pool;
    abtc_search_opts_t opts;
    abtc_search_req_t *sr;
    PGresult *res;
    char *out;
    apr_size_t total = 0, at = 0;
    int n, i;

    opts.default_limit = rq->cfg->default_limit;
    opts.max_limit = rq->cfg->max_limit;
    opts.tz = TZ(rq);
    opts.base_url = rq->base_url;
    *pr = bad_request(rq);
    sr = abtc_search_build(p, s, params, &opts, *pr);
    if (!sr) {
        return 0;
    }
    res = abtc_db_exec(rq, sr->stmt, NULL, ABTC_DB_READ, pr);
    if (!res) {
        return 0;
    }
    n = PQntuples(res);
    *more = n > sr->limit;
    if (*more) {
        n = (int)sr->limit;
    }
    /* one allocation and one pass: pages of large documents are joined
     * and compacted in linear time */
    for (i = 0; i < n; i++) {
        total += (apr_size_t)PQgetlength(res, i, 0) + 1;
    }
    out = apr_palloc(p, total + 1);
    for (i = 0; i < n; i++) {
        if (i) {
            out[at++] = ',';
        }
        at += abtc_json_compact(out + at, PQgetvalue(res, i, 0),
                                (apr_size_t)PQgetlength(res, i, 0));
    }
    out[at] = '\0';
    *items = out;
    *items_len = at;
    *srp = sr;
    return 1;
}

static int op_search(abtc_req_t *rq)
{
    apr_pool_t *p = rq->r->pool;
    const abtc_search_t *s = op_def(rq)->search;
    apr_array_header_t *params;
    abtc_search_req_t *sr;
    const char *items, *bad_name, *bad_reason;
    apr_size_t items_len;
    abtc_problem_t *pr;
    int more;

    if (abtc_query_parse(p, rq->r->args, &params, &bad_name, &bad_reason)
        != APR_SUCCESS) {
        pr = bad_request(rq);
        abtc_problem_param(pr, p, bad_name, bad_reason);
        return abtc_send_problem(rq, pr);
    }
    if (!search_run(rq, s, params, &sr, &items, &items_len, &more, &pr)) {
        return abtc_send_problem(rq, pr);
    }
    {
        /* {"<list>":[items],"_links":{...}}, assembled in one buffer */
        struct iovec parts[5];
        apr_size_t len;
        char *body;

        parts[0].iov_base = (void *)apr_pstrcat(p, "{\"", s->list_name,
                                                "\":[", NULL);
        parts[1].iov_base = (void *)items;
        parts[1].iov_len = items_len;
        parts[2].iov_base = (void *)"],\"_links\":";
        parts[3].iov_base = (void *)abtc_search_links(p, s, sr, rq->base_url,
                                                      more);
        parts[4].iov_base = (void *)"}";
        parts[0].iov_len = strlen(parts[0].iov_base);
        parts[2].iov_len = strlen(parts[2].iov_base);
        parts[3].iov_len = strlen(parts[3].iov_base);
        parts[4].iov_len = 1;
        body = apr_pstrcatv(p, parts, 5, &len);
        return abtc_send_json_text(rq, HTTP_OK, body, len);
    }
}

/* The item document of one resource, read through its search. */
static const char *read_back(abtc_req_t *rq, const abtc_search_t *s,
                             const char *id_param, apr_int64_t id,
                             abtc_problem_t **pr)
{
    apr_array_header_t *params = apr_array_make(rq->r->pool, 1,
                                                sizeof(abtc_param_t));
    abtc_param_t *pm = apr_array_push(params);
    abtc_search_req_t *sr;
    const char *items;
    apr_size_t items_len;
    int more;

    pm->name = id_param;
    pm->value = id_text(rq, id);
    if (!search_run(rq, s, params, &sr, &items, &items_len, &more, pr)) {
        return NULL;
    }
    return items;
}

/* ---- bodies ---- */

/* Read, parse and map the body of a single-resource operation. */
static apr_array_header_t *body_values(abtc_req_t *rq,
                                       const abtc_resource_t *res,
                                       abtc_body_mode_t mode,
                                       abtc_problem_t **pr)
{
    apr_pool_t *p = rq->r->pool;
    json_object *body, *obj;
    apr_array_header_t *values;
    const char *ptr;

    body = abtc_read_json(rq, pr);
    if (!body) {
        return NULL;
    }
    *pr = bad_request(rq);
    obj = abtc_body_unwrap(p, res, body, &ptr, *pr);
    if (!obj) {
        return NULL;
    }
    values = abtc_body_map(p, res, obj, mode, rq->id, ptr, NULL, *pr);
    if (abtc_problem_has_errors(*pr)) {
        return NULL;
    }
    if (mode == ABTC_BODY_PATCH && values->nelts == 0) {
        /* D1 */
        abtc_problem_field(*pr, p, ptr,
                           apr_pstrcat(p, "contains no field of ", res->name,
                                       " to change", NULL));
        return NULL;
    }
    return values;
}

/* ---- create / patch / delete of one resource ---- */

static const char *const audit_actions[] = {
    [ABTC_DB_INSERT] = "insert", [ABTC_DB_UPDATE] = "update",
    [ABTC_DB_DELETE] = "delete"
};

/* One shape for every single-resource change: validate the body, then in
 * one transaction run the guard, the statement (answering the owner and
 * the response document) and the audit row. */
static int op_write(abtc_req_t *rq, abtc_db_kind_t kind)
{
    apr_pool_t *p = rq->r->pool;
    const op_def_t *d = op_def(rq);
    apr_array_header_t *values = NULL;
    abtc_problem_t *pr;
    abtc_stmt_t *st;
    PGresult *res;
    const char *json, *action = audit_actions[kind];

    if (kind != ABTC_DB_DELETE) {
        values = body_values(rq, d->res, kind == ABTC_DB_INSERT
                             ? ABTC_BODY_CREATE : ABTC_BODY_PATCH, &pr);
        if (!values) {
            return abtc_send_problem(rq, pr);
        }
    }
    if (!abtc_db_begin(rq, &pr)) {
        return fail(rq, pr);
    }
    if (d->guard && !d->guard(rq, values, &pr)) {
        return fail(rq, pr);
    }
    st = kind == ABTC_DB_INSERT
        ? abtc_sql_insert(p, d->res, values, rq->id, d->insert_suffix,
                          d->returning, TZ(rq))
        : kind == ABTC_DB_UPDATE
        ? abtc_sql_update(p, d->res, values, rq->id, d->returning, TZ(rq))
        : abtc_sql_delete(p, d->res, rq->id, d->returning);
    res = abtc_db_exec(rq, st, d->res, kind, &pr);
    if (!res) {
        return fail(rq, pr);
    }
    if (PQntuples(res) == 0) {
        return fail(rq, not_found(rq, d->res));
    }
    /* an upsert says itself whether it inserted (third column) */
    if (PQnfields(res) > 2 && abtc_db_value(rq, res, 0, 2)) {
        action = abtc_db_value(rq, res, 0, 2);
    }
    abtc_db_audit(rq, abtc_db_value(rq, res, 0, 0), action);
    json = abtc_db_value(rq, res, 0, 1);
    if (d->search) {
        /* #32: these PATCHes answer the whole object as their list shows it */
        json = read_back(rq, d->search, d->res->id_name, rq->id, &pr);
        if (!json) {
            return fail(rq, pr);
        }
    }
    if (!abtc_db_commit(rq, &pr)) {
        return abtc_send_problem(rq, pr);
    }
    return abtc_send_json(rq, d->status, json);
}

static int op_create(abtc_req_t *rq)
{
    return op_write(rq, ABTC_DB_INSERT);
}

static int op_patch(abtc_req_t *rq)
{
    return op_write(rq, ABTC_DB_UPDATE);
}

/* D10: 200 with an empty object (the RETURNING of the table below) */
static int op_delete(abtc_req_t *rq)
{
    return op_write(rq, ABTC_DB_DELETE);
}

/* ---- guards ---- */

/* #47: a token is not replaced by itself (that the named token exists is
 * the database's foreign key: 400 on /replacedByTokenId). On POST the path
 * id is the customer's, so there is nothing to compare. */
static int guard_token(abtc_req_t *rq, const apr_array_header_t *values,
                       abtc_problem_t **pr)
{
    const char *by = abtc_body_value(values, "replacedByTokenId", NULL);

    if (by && rq->route->op == ABTC_OP_TOKEN_PATCH
        && !strcmp(by, id_text(rq, rq->id))) {
        *pr = bad_request(rq);
        abtc_problem_field(*pr, rq->r->pool, "/replacedByTokenId",
                           "must name another token than this one");
        return 0;
    }
    return 1;
}

/* D6: CANCELLED is final. The row is locked so that two PATCHes cannot
 * both pass the check. */
static int guard_mandate(abtc_req_t *rq, const apr_array_header_t *values,
                         abtc_problem_t **pr)
{
    apr_pool_t *p = rq->r->pool;
    const char *state = abtc_body_value(values, "mandateState", NULL);
    abtc_stmt_t *st = abtc_stmt_make(p,
        "SELECT mandate_state FROM direct_debit_mandate"
        " WHERE direct_debit_mandate_id = $1::bigint FOR UPDATE");
    PGresult *res;
    const char *current;

    abtc_stmt_param(st, p, id_text(rq, rq->id));
    res = abtc_db_exec(rq, st, NULL, ABTC_DB_READ, pr);
    if (!res) {
        return 0;
    }
    if (PQntuples(res) == 0) {
        *pr = not_found(rq, &abtc_res_mandate);
        return 0;
    }
    current = abtc_db_value(rq, res, 0, 0);
    if (!strcmp(current, "CANCELLED") && state && strcmp(state, "CANCELLED")) {
        *pr = abtc_problem_make(p, HTTP_CONFLICT,
                                "The mandate is CANCELLED; a cancelled "
                                "mandate cannot change state.");
        return 0;
    }
    return 1;
}

/* ---- customers ---- */

static int is_object_or_absent(json_object *parent, const char *key,
                               json_object **out)
{
    *out = NULL;
    if (!json_object_object_get_ex(parent, key, out)) {
        return 1;
    }
    return *out != NULL && json_object_is_type(*out, json_type_object);
}

/* Map the array body[key] of child resources, each item pointer-named. */
static void map_children(abtc_req_t *rq, const abtc_resource_t *res,
                         json_object *parent, const char *key,
                         const char *ptr, apr_array_header_t *out,
                         abtc_problem_t *pr)
{
    apr_pool_t *p = rq->r->pool;
    json_object *arr;
    size_t i;

    if (!json_object_object_get_ex(parent, key, &arr)) {
        return;
    }
    if (!json_object_is_type(arr, json_type_array)) {
        abtc_problem_field(pr, p, apr_pstrcat(p, ptr, "/", key, NULL),
                           "must be an array");
        return;
    }
    for (i = 0; i < json_object_array_length(arr); i++) {
        const char *item_ptr = apr_psprintf(p, "%s/%s/%" APR_SIZE_T_FMT, ptr,
                                            key, i);

        APR_ARRAY_PUSH(out, apr_array_header_t *) =
            abtc_body_map(p, res, json_object_array_get_idx(arr, i),
                          ABTC_BODY_CREATE, 0, item_ptr, NULL, pr);
    }
}

static const char *const customer_extra[] = {
    "person", "addresses", "phones", "customerPreference", NULL
};
static const char *const person_extra[] = {
    "addresses", "address", "phones", NULL
};

static int insert_children(abtc_req_t *rq, const abtc_resource_t *res,
                           const apr_array_header_t *lists,
                           apr_int64_t customer, abtc_problem_t **pr)
{
    int i;

    for (i = 0; i < lists->nelts; i++) {
        const apr_array_header_t *values =
            APR_ARRAY_IDX(lists, i, const apr_array_header_t *);

        if (!abtc_db_exec(rq, abtc_sql_insert(rq->r->pool, res, values,
                                              customer, NULL, "1", TZ(rq)),
                          res, ABTC_DB_INSERT, pr)) {
            return 0;
        }
    }
    return 1;
}

static int op_customer_create(abtc_req_t *rq)
{
    apr_pool_t *p = rq->r->pool;
    json_object *body, *person, *pref;
    apr_array_header_t *values, *pref_values = NULL;
    apr_array_header_t *addresses = apr_array_make(p, 2, sizeof(void *));
    apr_array_header_t *phones = apr_array_make(p, 2, sizeof(void *));
    abtc_problem_t *pr;
    abtc_stmt_t *st;
    PGresult *res;
    apr_int64_t customer;
    const char *owner;

    body = abtc_read_json(rq, &pr);
    if (!body) {
        return abtc_send_problem(rq, pr);
    }
    pr = bad_request(rq);
    values = abtc_body_map(p, &abtc_res_customer, body, ABTC_BODY_CREATE, 0,
                           "", customer_extra, pr);
    if (!is_object_or_absent(body, "person", &person)) {
        abtc_problem_field(pr, p, "/person", "must be an object");
    }
    else if (person) {
        apr_array_cat(values, abtc_body_map(p, &abtc_res_person, person,
                                            ABTC_BODY_CREATE, 0, "/person",
                                            person_extra, pr));
    }
    if (!is_object_or_absent(body, "customerPreference", &pref)) {
        abtc_problem_field(pr, p, "/customerPreference", "must be an object");
    }
    else if (pref) {
        pref_values = abtc_body_map(p, &abtc_res_preference, pref,
                                    ABTC_BODY_CREATE, 0,
                                    "/customerPreference", NULL, pr);
    }
    /* #6, #10: children at the top level or inside person, top level first */
    map_children(rq, &abtc_res_address, body, "addresses", "", addresses, pr);
    map_children(rq, &abtc_res_phone, body, "phones", "", phones, pr);
    if (person) {
        map_children(rq, &abtc_res_address, person, "addresses", "/person",
                     addresses, pr);
        map_children(rq, &abtc_res_address, person, "address", "/person",
                     addresses, pr);
        map_children(rq, &abtc_res_phone, person, "phones", "/person",
                     phones, pr);
    }
    if (abtc_problem_has_errors(pr)) {
        return abtc_send_problem(rq, pr);
    }

    if (!abtc_db_begin(rq, &pr)) {
        return fail(rq, pr);
    }
    res = abtc_db_exec(rq, abtc_sql_insert(p, &abtc_res_customer, values, 0,
                       NULL, "json_build_object('customerProfileId',"
                       " customer_profile_id, 'customerNumber',"
                       " customer_number, 'debtorNumber', debtor_number)::text",
                       TZ(rq)), &abtc_res_customer, ABTC_DB_INSERT, &pr);
    if (!res) {
        return fail(rq, pr);
    }
    owner = abtc_db_value(rq, res, 0, 0);
    customer = apr_atoi64(owner);

    /* D16: the new profile is Active from the moment it was created */
    st = abtc_stmt_make(p, "INSERT INTO customer_status_instance"
                           " (customer_profile_id, customer_status_id,"
                           " from_inclusive) SELECT customer_profile_id, 2,"
                           " created FROM customer_profile"
                           " WHERE customer_profile_id = $1::bigint");
    abtc_stmt_param(st, p, owner);
    if (!abtc_db_exec(rq, st, &abtc_res_status, ABTC_DB_INSERT, &pr)) {
        return fail(rq, pr);
    }
    if (pref_values
        && !abtc_db_exec(rq, abtc_sql_insert(p, &abtc_res_preference,
                                             pref_values, customer, NULL, "1",
                                             TZ(rq)),
                         &abtc_res_preference, ABTC_DB_INSERT, &pr)) {
        return fail(rq, pr);
    }
    if (!insert_children(rq, &abtc_res_address, addresses, customer, &pr)
        || !insert_children(rq, &abtc_res_phone, phones, customer, &pr)) {
        return fail(rq, pr);
    }
    abtc_db_audit(rq, owner, "insert");
    if (!abtc_db_commit(rq, &pr)) {
        return abtc_send_problem(rq, pr);
    }
    return abtc_send_json(rq, HTTP_CREATED, abtc_db_value(rq, res, 0, 1));
}

static int op_customer_patch(abtc_req_t *rq)
{
    apr_pool_t *p = rq->r->pool;
    static const char *const extra[] = { "person", NULL };
    json_object *body, *person;
    apr_array_header_t *values;
    abtc_problem_t *pr;
    PGresult *res;

    body = abtc_read_json(rq, &pr);
    if (!body) {
        return abtc_send_problem(rq, pr);
    }
    pr = bad_request(rq);
    values = abtc_body_map(p, &abtc_res_customer, body, ABTC_BODY_PATCH,
                           rq->id, "", extra, pr);
    /* D19: person data can be changed too */
    if (!is_object_or_absent(body, "person", &person)) {
        abtc_problem_field(pr, p, "/person", "must be an object");
    }
    else if (person) {
        apr_array_cat(values, abtc_body_map(p, &abtc_res_person, person,
                                            ABTC_BODY_PATCH, rq->id,
                                            "/person", NULL, pr));
    }
    if (!abtc_problem_has_errors(pr) && values->nelts == 0) {
        abtc_problem_field(pr, p, "", "contains no field of the customer "
                           "profile to change");
    }
    if (abtc_problem_has_errors(pr)) {
        return abtc_send_problem(rq, pr);
    }
    if (!abtc_db_begin(rq, &pr)) {
        return fail(rq, pr);
    }
    res = abtc_db_exec(rq, abtc_sql_update(p, &abtc_res_customer, values,
                       rq->id, "json_build_object('customerProfileId',"
                       " customer_profile_id)::text", TZ(rq)),
                       &abtc_res_customer, ABTC_DB_UPDATE, &pr);
    if (!res) {
        return fail(rq, pr);
    }
    if (PQntuples(res) == 0) {
        return fail(rq, not_found(rq, &abtc_res_customer));
    }
    abtc_db_audit(rq, abtc_db_value(rq, res, 0, 0), "update");
    if (!abtc_db_commit(rq, &pr)) {
        return abtc_send_problem(rq, pr);
    }
    /* #28: 201, as the seed documents */
    return abtc_send_json(rq, HTTP_CREATED, abtc_db_value(rq, res, 0, 1));
}

/* D9, D17: close the open status instance and open a new one at the same
 * instant. The customer row is locked first, so concurrent changes of one
 * customer run one after the other and each sees the previous one's
 * instance; the partial unique index keeps the rule even without us. */
static int op_status_create(abtc_req_t *rq)
{
    apr_pool_t *p = rq->r->pool;
    apr_array_header_t *values;
    abtc_problem_t *pr;
    abtc_stmt_t *st;
    PGresult *res;
    const char *now, *customer = id_text(rq, rq->id);

    values = body_values(rq, &abtc_res_status, ABTC_BODY_CREATE, &pr);
    if (!values) {
        return abtc_send_problem(rq, pr);
    }
    if (!abtc_db_begin(rq, &pr)) {
        return fail(rq, pr);
    }
    st = abtc_stmt_make(p, "SELECT 1 FROM customer_profile"
                           " WHERE customer_profile_id = $1::bigint"
                           " FOR NO KEY UPDATE");
    abtc_stmt_param(st, p, customer);
    res = abtc_db_exec(rq, st, NULL, ABTC_DB_READ, &pr);
    if (!res) {
        return fail(rq, pr);
    }
    if (PQntuples(res) == 0) {
        return fail(rq, not_found(rq, &abtc_res_customer));
    }
    /* The instant is read only now that the lock is held: a select list
     * is evaluated before its row lock is granted, so reading it above
     * could give a time before the instance a concurrent request opened. */
    res = abtc_db_exec(rq, abtc_stmt_make(p, "SELECT clock_timestamp()::text"),
                       NULL, ABTC_DB_READ, &pr);
    if (!res) {
        return fail(rq, pr);
    }
    now = abtc_db_value(rq, res, 0, 0);

    st = abtc_stmt_make(p, "UPDATE customer_status_instance"
                           " SET to_inclusive = $2::timestamptz"
                           " WHERE customer_profile_id = $1::bigint"
                           " AND to_inclusive IS NULL");
    abtc_stmt_param(st, p, customer);
    abtc_stmt_param(st, p, now);
    if (!abtc_db_exec(rq, st, &abtc_res_status, ABTC_DB_UPDATE, &pr)) {
        return fail(rq, pr);
    }
    st = abtc_stmt_make(p, "INSERT INTO customer_status_instance"
                           " (customer_profile_id, customer_status_id,"
                           " from_inclusive)"
                           " VALUES ($1::bigint, $2::int, $3::timestamptz)"
                           " RETURNING json_build_object('customerProfileId',"
                           " customer_profile_id, 'customerStatusInstanceId',"
                           " customer_status_instance_id)::text");
    abtc_stmt_param(st, p, customer);
    abtc_stmt_param(st, p, abtc_body_value(values, "customerStatusId", NULL));
    abtc_stmt_param(st, p, now);
    res = abtc_db_exec(rq, st, &abtc_res_status, ABTC_DB_INSERT, &pr);
    if (!res) {
        return fail(rq, pr);
    }
    abtc_db_audit(rq, customer, "insert");
    if (!abtc_db_commit(rq, &pr)) {
        return abtc_send_problem(rq, pr);
    }
    return abtc_send_json(rq, HTTP_CREATED, abtc_db_value(rq, res, 0, 0));
}

/* ---- the operation table, in abtc_op_t order ---- */

#define RET_ADDRESS "json_build_object('customerProfileId',"            \
                    " customer_profile_id, 'addressId', address_id)::text"
#define RET_PHONE "json_build_object('phoneId', phone_id)::text"
#define RET_TOKEN "json_build_object('ovPayTokenId', ov_pay_token_id)::text"
#define RET_CHIPCARD "json_build_object('ovChipCardId', ov_chip_card_id)::text"
#define RET_PREFERENCE "json_build_object('customerPreferenceId',"      \
                       " customer_preference_id)::text"
#define RET_NONE "'{}'"

static const op_def_t ops[ABTC_OP_COUNT] = {
    [ABTC_OP_CUSTOMER_SEARCH] = { op_search, NULL, &abtc_search_customers,
                                  HTTP_OK, NULL, NULL, NULL },
    [ABTC_OP_CUSTOMER_CREATE] = { op_customer_create, &abtc_res_customer,
                                  NULL, HTTP_CREATED, NULL, NULL, NULL },
    [ABTC_OP_CUSTOMER_PATCH] = { op_customer_patch, &abtc_res_customer,
                                 NULL, HTTP_CREATED, NULL, NULL, NULL },
    [ABTC_OP_STATUS_CREATE] = { op_status_create, &abtc_res_status, NULL,
                                HTTP_CREATED, NULL, NULL, NULL },
    /* D18: one preference per customer; a second POST updates it */
    [ABTC_OP_PREFERENCE_CREATE] = { op_create, &abtc_res_preference, NULL,
        HTTP_CREATED,
        RET_PREFERENCE ", CASE WHEN xmax = 0 THEN 'insert' ELSE 'update' END",
        "ON CONFLICT (customer_profile_id) DO UPDATE"
        " SET language_id = EXCLUDED.language_id", NULL },
    [ABTC_OP_PREFERENCE_PATCH] = { op_patch, &abtc_res_preference, NULL,
        HTTP_OK, "json_build_object('customerPreferenceId',"
        " customer_preference_id, 'customerLanguageId', language_id)::text",
        NULL, NULL },
    [ABTC_OP_ADDRESS_CREATE] = { op_create, &abtc_res_address, NULL,
                                 HTTP_CREATED, RET_ADDRESS, NULL, NULL },
    [ABTC_OP_ADDRESS_PATCH] = { op_patch, &abtc_res_address, NULL, HTTP_OK,
                                RET_ADDRESS, NULL, NULL },
    [ABTC_OP_ADDRESS_DELETE] = { op_delete, &abtc_res_address, NULL, HTTP_OK,
                                 RET_NONE, NULL, NULL },
    [ABTC_OP_PHONE_CREATE] = { op_create, &abtc_res_phone, NULL,
                               HTTP_CREATED, RET_PHONE, NULL, NULL },
    [ABTC_OP_PHONE_PATCH] = { op_patch, &abtc_res_phone, NULL, HTTP_OK,
                              RET_PHONE, NULL, NULL },
    [ABTC_OP_PHONE_DELETE] = { op_delete, &abtc_res_phone, NULL, HTTP_OK,
                               RET_NONE, NULL, NULL },
    [ABTC_OP_TOKEN_SEARCH] = { op_search, NULL, &abtc_search_tokens, HTTP_OK,
                               NULL, NULL, NULL },
    [ABTC_OP_TOKEN_CREATE] = { op_create, &abtc_res_token, NULL,
                               HTTP_CREATED, RET_TOKEN, NULL, guard_token },
    [ABTC_OP_TOKEN_PATCH] = { op_patch, &abtc_res_token, NULL, HTTP_OK,
                              RET_TOKEN, NULL, guard_token },
    [ABTC_OP_TOKEN_DELETE] = { op_delete, &abtc_res_token, NULL, HTTP_OK,
                               RET_NONE, NULL, NULL },
    [ABTC_OP_CHIPCARD_CREATE] = { op_create, &abtc_res_chipcard, NULL,
                                  HTTP_CREATED, RET_CHIPCARD, NULL, NULL },
    [ABTC_OP_CHIPCARD_PATCH] = { op_patch, &abtc_res_chipcard, NULL, HTTP_OK,
                                 RET_CHIPCARD, NULL, NULL },
    [ABTC_OP_CHIPCARD_DELETE] = { op_delete, &abtc_res_chipcard, NULL,
                                  HTTP_OK, RET_NONE, NULL, NULL },
    [ABTC_OP_BILLING_SEARCH] = { op_search, NULL, &abtc_search_billing,
                                 HTTP_OK, NULL, NULL, NULL },
    [ABTC_OP_BILLING_CREATE] = { op_create, &abtc_res_billing, NULL,
        HTTP_CREATED, "json_build_object('billingInformationId',"
        " billing_information_id)::text", NULL, NULL },
    [ABTC_OP_BILLING_PATCH] = { op_patch, &abtc_res_billing,
                                &abtc_search_billing, HTTP_OK, "1", NULL,
                                NULL },
    [ABTC_OP_MANDATE_SEARCH] = { op_search, NULL, &abtc_search_mandates,
                                 HTTP_OK, NULL, NULL, NULL },
    [ABTC_OP_MANDATE_CREATE] = { op_create, &abtc_res_mandate, NULL,
        HTTP_CREATED, "json_build_object('directDebitMandateId',"
        " direct_debit_mandate_id)::text", NULL, NULL },
    [ABTC_OP_MANDATE_PATCH] = { op_patch, &abtc_res_mandate,
                                &abtc_search_mandates, HTTP_OK, "1", NULL,
                                guard_mandate },
};

static const op_def_t *op_def(const abtc_req_t *rq)
{
    return &ops[rq->route->op];
}

abtc_op_fn abtc_op_function(abtc_op_t op)
{
    return ops[op].fn;
}
