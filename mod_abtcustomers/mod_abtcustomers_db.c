/* mod_abtcustomers_db.c: connections, statements, transactions, audit. */

#include "mod_abtcustomers_db.h"

#include "http_protocol.h"

#include <apr_dbd.h>
#include <apr_optional.h>
#include "mod_dbd.h"
#include <apr_strings.h>
#include <string.h>

APLOG_USE_MODULE(abtcustomers);

/* Bound once at post_config, read-only afterwards (mod_authn_dbd does the
 * same with its optional functions). */
static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire = NULL;

#define TEXTOID 25
#define RETRY_AFTER_SECONDS "5"

struct abtc_db {
    PGconn *conn;
    int in_tx;
    int statements;               /* run so far in this request */
    apr_array_header_t *audit_ids;      /* const char * */
    apr_array_header_t *audit_actions;  /* const char * */
};

apr_status_t abtc_db_bind(void)
{
    dbd_acquire = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    return dbd_acquire ? APR_SUCCESS : APR_ENOTIMPL;
}

static apr_status_t clear_result(void *data)
{
    PQclear(data);
    return APR_SUCCESS;
}

/* Runs before mod_dbd hands the connection back (cleanups are LIFO): an
 * open transaction never leaks into the next request on this connection. */
static apr_status_t rollback_open_tx(void *data)
{
    abtc_db_t *db = data;

    if (db->conn && PQtransactionStatus(db->conn) != PQTRANS_IDLE
        && PQstatus(db->conn) == CONNECTION_OK) {
        PQclear(PQexec(db->conn, "ROLLBACK"));
    }
    return APR_SUCCESS;
}

static abtc_problem_t *unavailable(abtc_req_t *rq, const char *detail)
{
    abtc_problem_t *pr = abtc_problem_make(rq->r->pool,
                                           HTTP_SERVICE_UNAVAILABLE, detail);

    pr->retry_after = RETRY_AFTER_SECONDS;
    return pr;
}

static abtc_db_t *db_get(abtc_req_t *rq, abtc_problem_t **pr)
{
    request_rec *r = rq->r;
    ap_dbd_t *dbd;
    abtc_db_t *db;

    if (rq->db) {
        return rq->db;
    }
    dbd = dbd_acquire ? dbd_acquire(r) : NULL;
    if (!dbd) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, ABTCLOGNO(00010)
                      "no database connection available");
        *pr = unavailable(rq, "The customer database is not available; "
                              "try again later.");
        return NULL;
    }
    db = apr_pcalloc(r->pool, sizeof(*db));
    db->conn = apr_dbd_native_handle(dbd->driver, dbd->handle);
    db->audit_ids = apr_array_make(r->pool, 4, sizeof(const char *));
    db->audit_actions = apr_array_make(r->pool, 4, sizeof(const char *));
    if (PQstatus(db->conn) == CONNECTION_OK
        && PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, ABTCLOGNO(00011)
                      "pooled connection was not idle; rolled back");
        PQclear(PQexec(db->conn, "ROLLBACK"));
    }
    apr_pool_cleanup_register(r->pool, db, rollback_open_tx,
                              apr_pool_cleanup_null);
    rq->db = db;
    return db;
}

static int sqlstate_is(const char *state, const char *prefix)
{
    return state && !strncmp(state, prefix, strlen(prefix));
}

/* The field of res whose column a constraint is about, or NULL. */
static const abtc_field_t *constraint_field(const abtc_resource_t *res,
                                            const char *constraint)
{
    const abtc_field_t *f, *best = NULL;

    if (!res || !constraint) {
        return NULL;
    }
    for (f = res->fields; f->name; f++) {
        if (f->column && strstr(constraint, f->column)
            && (!best || strlen(f->column) > strlen(best->column))) {
            best = f;
        }
    }
    return best;
}

/* A failed statement as a problem. The log names the SQLSTATE and the
 * constraint only: PostgreSQL's messages quote values (personal data). */
static abtc_problem_t *problem_of(abtc_req_t *rq, const PGresult *res,
                                  const abtc_resource_t *rs,
                                  abtc_db_kind_t kind)
{
    apr_pool_t *p = rq->r->pool;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *constraint = res ? PQresultErrorField(res,
                                              PG_DIAG_CONSTRAINT_NAME) : NULL;
    const abtc_field_t *f;
    abtc_problem_t *pr;

    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, rq->r, ABTCLOGNO(00012)
                  "statement failed: SQLSTATE %s%s%s", state ? state : "none",
                  constraint ? " constraint " : "",
                  constraint ? constraint : "");

    if (sqlstate_is(state, "23503")) {
        if (kind == ABTC_DB_DELETE) {
            return abtc_problem_makef(p, HTTP_CONFLICT,
                                      "The %s is still referenced by another "
                                      "resource and cannot be deleted.",
                                      rs ? rs->name : "resource");
        }
        if (rs && rs->parent_column && constraint
            && strstr(constraint, rs->parent_column)
            && kind == ABTC_DB_INSERT) {
            return rq->id
                ? abtc_problem_makef(p, HTTP_NOT_FOUND, "No resource with %s %"
                                     APR_INT64_T_FMT " exists.",
                                     rs->parent_name, rq->id)
                : abtc_problem_makef(p, HTTP_NOT_FOUND, "No resource with this "
                                     "%s exists.", rs->parent_name);
        }
        f = constraint_field(rs, constraint);
        pr = abtc_problem_make(p, HTTP_BAD_REQUEST, NULL);
        abtc_problem_field(pr, p, apr_pstrcat(p, "/", f ? f->name : "", NULL),
                           "names a resource that does not exist");
        return pr;
    }
    if (sqlstate_is(state, "23505")) {
        return abtc_problem_make(p, HTTP_CONFLICT,
                                 "The change conflicts with an existing "
                                 "resource or a concurrent change.");
    }
    if (sqlstate_is(state, "23") || sqlstate_is(state, "22")) {
        f = constraint_field(rs, constraint);
        if (!f) {
            /* a value the validators passed but PostgreSQL cannot hold */
            return abtc_problem_make(p, HTTP_BAD_REQUEST,
                                     "A value of the request is outside "
                                     "what can be stored or compared.");
        }
        pr = abtc_problem_make(p, HTTP_BAD_REQUEST, NULL);
        abtc_problem_field(pr, p, apr_pstrcat(p, "/", f->name, NULL),
                           "is not an acceptable value");
        return pr;
    }
    if (sqlstate_is(state, "40") || sqlstate_is(state, "55P03")) {
        return unavailable(rq, "A concurrent change got in the way; "
                               "try again.");
    }
    if (sqlstate_is(state, "57014")) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r, ABTCLOGNO(00013)
                      "statement timed out");
        return unavailable(rq, "The customer database took too long to "
                               "answer; try again later.");
    }
    if (!state || sqlstate_is(state, "08") || sqlstate_is(state, "57P")
        || sqlstate_is(state, "53")) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, ABTCLOGNO(00014)
                      "database connection failed (SQLSTATE %s)",
                      state ? state : "none");
        return unavailable(rq, "The customer database is not available; "
                               "try again later.");
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, rq->r, ABTCLOGNO(00015)
                  "unexpected database error SQLSTATE %s", state);
    return abtc_problem_make(p, HTTP_INTERNAL_SERVER_ERROR,
                             "The request could not be completed.");
}

static PGresult *run(abtc_db_t *db, const abtc_stmt_t *st, apr_pool_t *p)
{
    int n = st->params->nelts, i;
    Oid *types = NULL;

    if (st->text_typed) {
        types = apr_pcalloc(p, sizeof(Oid) * (n ? n : 1));
        for (i = 0; i < st->text_typed && i < n; i++) {
            types[i] = TEXTOID;
        }
    }
    return PQexecParams(db->conn, st->text, n, types,
                        (const char *const *)st->params->elts, NULL, NULL, 0);
}

PGresult *abtc_db_exec(abtc_req_t *rq, const abtc_stmt_t *st,
                       const abtc_resource_t *res, abtc_db_kind_t kind,
                       abtc_problem_t **pr)
{
    abtc_db_t *db = db_get(rq, pr);
    PGresult *result;
    ExecStatusType status;

    if (!db) {
        return NULL;
    }
    result = run(db, st, rq->r->pool);
    /* The first statement of a request may meet a connection PostgreSQL
     * dropped (a restart): nothing has happened yet, so reconnect and run
     * it once more. mod_dbd does not retry by itself. */
    if (PQstatus(db->conn) == CONNECTION_BAD && db->statements == 0
        && !db->in_tx) {
        PQclear(result);
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, rq->r, ABTCLOGNO(00016)
                      "database connection lost; reconnecting once");
        PQreset(db->conn);
        if (PQstatus(db->conn) != CONNECTION_OK) {
            *pr = problem_of(rq, NULL, res, kind);
            return NULL;
        }
        result = run(db, st, rq->r->pool);
    }
    db->statements++;
    if (result) {
        apr_pool_cleanup_register(rq->r->pool, result, clear_result,
                                  apr_pool_cleanup_null);
    }
    status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        *pr = problem_of(rq, result, res, kind);
        return NULL;
    }
    return result;
}

int abtc_db_begin(abtc_req_t *rq, abtc_problem_t **pr)
{
    abtc_stmt_t *st = abtc_stmt_make(rq->r->pool, "BEGIN");

    if (!abtc_db_exec(rq, st, NULL, ABTC_DB_READ, pr)) {
        return 0;
    }
    rq->db->in_tx = 1;
    return 1;
}

void abtc_db_audit(abtc_req_t *rq, const char *customer_profile_id,
                   const char *action)
{
    if (!rq->db || !customer_profile_id) {
        return;
    }
    APR_ARRAY_PUSH(rq->db->audit_ids, const char *) = customer_profile_id;
    APR_ARRAY_PUSH(rq->db->audit_actions, const char *) = action;
}

static const char *array_literal(apr_pool_t *p, const apr_array_header_t *a)
{
    const char *s = "{";
    int i;

    for (i = 0; i < a->nelts; i++) {
        s = apr_pstrcat(p, s, i ? "," : "", APR_ARRAY_IDX(a, i, const char *),
                        NULL);
    }
    return apr_pstrcat(p, s, "}", NULL);
}

int abtc_db_commit(abtc_req_t *rq, abtc_problem_t **pr)
{
    apr_pool_t *p = rq->r->pool;
    abtc_db_t *db = rq->db;

    if (db->audit_ids->nelts) {
        /* ids are integers from our own RETURNING, actions fixed words */
        abtc_stmt_t *st = abtc_stmt_make(p,
            "INSERT INTO audit_trail (customer_profile_id, action, \"user\","
            " correlation_id) SELECT unnest($1::bigint[]),"
            " unnest($2::text[]), $3::text, $4::uuid");

        abtc_stmt_param(st, p, array_literal(p, db->audit_ids));
        abtc_stmt_param(st, p, array_literal(p, db->audit_actions));
        abtc_stmt_param(st, p, rq->user);
        abtc_stmt_param(st, p, rq->correlation_id);
        if (!abtc_db_exec(rq, st, NULL, ABTC_DB_INSERT, pr)) {
            abtc_db_rollback(rq);
            return 0;
        }
    }
    if (!abtc_db_exec(rq, abtc_stmt_make(p, "COMMIT"), NULL, ABTC_DB_READ,
                      pr)) {
        abtc_db_rollback(rq);
        return 0;
    }
    db->in_tx = 0;
    return 1;
}

void abtc_db_rollback(abtc_req_t *rq)
{
    if (rq->db && rq->db->in_tx) {
        rollback_open_tx(rq->db);
        rq->db->in_tx = 0;
    }
}

const char *abtc_db_value(abtc_req_t *rq, const PGresult *res, int row,
                          int col)
{
    if (row >= PQntuples(res) || col >= PQnfields(res)
        || PQgetisnull(res, row, col)) {
        return NULL;
    }
    return apr_pstrmemdup(rq->r->pool, PQgetvalue(res, row, col),
                          PQgetlength(res, row, col));
}
