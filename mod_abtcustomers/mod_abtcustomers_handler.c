/* mod_abtcustomers_handler.c: request prologue, routing, bodies, replies.
 *
 * Everything a request can get wrong without the database (correlation id,
 * token times, path, method, query, body) is refused here, before a
 * connection is taken from the pool.
 */

#include "mod_abtcustomers.h"
#include "abtc_format.h"
#include "abtc_jsonparse.h"

#include "http_core.h"
#include "http_protocol.h"
#include "http_request.h"

#include <apr_strings.h>

APLOG_USE_MODULE(abtcustomers);

#define CORRELATION_HEADER "X-Correlation-ID"
#define CLOCK_SKEW_SECONDS 60

int abtc_send_json_text(abtc_req_t *rq, int status, const char *json,
                        apr_size_t len)
{
    request_rec *r = rq->r;

    r->status = status;
    ap_set_content_type(r, "application/json");
    ap_set_content_length(r, len);
    if (!r->header_only) {
        ap_rwrite(json, (int)len, r);
    }
    return OK;
}

int abtc_send_json(abtc_req_t *rq, int status, const char *json)
{
    apr_size_t len = strlen(json);
    char *out = apr_palloc(rq->r->pool, len + 1);

    /* PostgreSQL spaces its JSON out; clients get it compact */
    return abtc_send_json_text(rq, status, out,
                               abtc_json_compact(out, json, len));
}

int abtc_send_problem(abtc_req_t *rq, const abtc_problem_t *pr)
{
    request_rec *r = rq->r;
    const char *json = abtc_problem_json(r->pool, pr, rq->correlation_id);
    apr_size_t len = strlen(json);

    if (pr->retry_after) {
        apr_table_setn(r->err_headers_out, "Retry-After", pr->retry_after);
    }
    /* Returning OK with the status set sends this body, not httpd's page;
     * err_headers_out keeps headers set before (Allow, WWW-Authenticate). */
    r->status = pr->status;
    ap_set_content_type(r, ABTC_PROBLEM_CONTENT_TYPE);
    ap_set_content_length(r, len);
    if (!r->header_only) {
        ap_rwrite(json, (int)len, r);
    }
    return OK;
}

/* D21: the caller's correlation id (a UUID) or a new one. NULL when the
 * header is present but not a UUID. */
static const char *correlation_id(request_rec *r, int *bad)
{
    const char *given = apr_table_get(r->headers_in, CORRELATION_HEADER);

    *bad = 0;
    if (given) {
        const char *id = abtc_uuid_normalize(r->pool, given);

        if (id) {
            return id;
        }
        *bad = 1;
    }
    return abtc_uuid_v4(r->pool);
}

static const char *claim(request_rec *r, const char *name)
{
    const char *key = apr_pstrcat(r->pool, "OIDC_CLAIM_", name, NULL);
    const char *v = apr_table_get(r->subprocess_env, key);

    return v ? v : apr_table_get(r->headers_in, key);
}

/* Debian's mod_auth_openidc 2.4.12 accepts a locally validated JWT without
 * "exp", with "nbf" or "iat" in the future; the API refuses all three. */
static const char *token_times_refusal(request_rec *r)
{
    const char *exp, *nbf, *iat;
    apr_int64_t n, now = apr_time_sec(apr_time_now());

    if (!r->ap_auth_type || strcasecmp(r->ap_auth_type, "oauth20")) {
        return NULL;
    }
    exp = claim(r, "exp");
    if (!exp || !abtc_int_parse(exp, 1, APR_INT64_MAX, &n)) {
        return "the token has no valid exp claim";
    }
    if (n + CLOCK_SKEW_SECONDS < now) {
        return "the token has expired";
    }
    nbf = claim(r, "nbf");
    if (nbf && (!abtc_int_parse(nbf, 0, APR_INT64_MAX, &n)
                || n > now + CLOCK_SKEW_SECONDS)) {
        return "the token is not valid yet";
    }
    /* a token issued in the future comes from a wrong clock or a forger */
    iat = claim(r, "iat");
    if (iat && (!abtc_int_parse(iat, 0, APR_INT64_MAX, &n)
                || n > now + CLOCK_SKEW_SECONDS)) {
        return "the token was issued in the future";
    }
    return NULL;
}

/* The API root is the path of the <Location> that set the handler: core
 * keeps it in its per-dir config (our module has no per-dir directive, so
 * httpd creates no per-dir config of ours for that section). */
static const char *api_root(request_rec *r)
{
    const core_dir_config *dc = ap_get_core_module_config(r->per_dir_config);
    const char *d = dc && dc->d && !dc->d_is_fnmatch && !dc->r ? dc->d : "";
    apr_size_t n = strlen(d);

    while (n > 0 && d[n - 1] == '/') {
        n--;
    }
    return apr_pstrndup(r->pool, d, n);
}

static const char *base_url(request_rec *r, const abtc_srv_cfg *cfg,
                            const char *location)
{
    if (cfg->base_url) {
        return cfg->base_url;
    }
    return ap_construct_url(r->pool, location, r);
}

int abtc_handler(request_rec *r)
{
    const abtc_srv_cfg *cfg;
    const char *location;
    abtc_req_t *rq;
    const char *path, *allow = NULL, *refusal;
    abtc_route_result_t rr;
    int bad_correlation;

    if (!r->handler || strcmp(r->handler, ABTC_HANDLER)) {
        return DECLINED;
    }
    cfg = ap_get_module_config(r->server->module_config,
                               &abtcustomers_module);
    location = api_root(r);

    rq = apr_pcalloc(r->pool, sizeof(*rq));
    rq->r = r;
    rq->cfg = cfg;
    rq->correlation_id = correlation_id(r, &bad_correlation);
    rq->user = r->user ? r->user : cfg->anonymous_user;
    apr_table_setn(r->err_headers_out, CORRELATION_HEADER,
                   rq->correlation_id);
    apr_table_setn(r->notes, "abtc-correlation-id", rq->correlation_id);

    if (bad_correlation) {
        abtc_problem_t *pr = abtc_problem_make(r->pool, HTTP_BAD_REQUEST,
                                               NULL);

        abtc_problem_param(pr, r->pool, CORRELATION_HEADER, "must be a UUID");
        return abtc_send_problem(rq, pr);
    }
    if (cfg->token_times && (refusal = token_times_refusal(r)) != NULL) {
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       apr_pstrcat(r->pool, "Bearer error=\"invalid_token\", "
                                   "error_description=\"", refusal, "\"",
                                   NULL));
        return abtc_send_problem(rq, abtc_problem_make(r->pool,
                                 HTTP_UNAUTHORIZED,
                                 apr_pstrcat(r->pool, "Unauthorized: ",
                                             refusal, ".", NULL)));
    }

    path = r->uri;
    if (!strncmp(path, location, strlen(location))) {
        path += strlen(location);
    }
    if (*path == '\0') {
        path = "/";
    }
    rq->base_url = base_url(r, cfg, location);
    rr = abtc_route_match(r->pool, abtc_route_method(r->method), path,
                          &rq->route, &rq->id, &allow);
    switch (rr) {
    case ABTC_ROUTE_NO_PATH:
        return abtc_send_problem(rq, abtc_problem_make(r->pool,
                                 HTTP_NOT_FOUND,
                                 "No such resource in this API."));
    case ABTC_ROUTE_BAD_METHOD:
        apr_table_setn(r->err_headers_out, "Allow", allow);
        return abtc_send_problem(rq, abtc_problem_makef(r->pool,
                                 HTTP_METHOD_NOT_ALLOWED,
                                 "%s is not allowed here; allowed: %s.",
                                 r->method, allow));
    case ABTC_ROUTE_BAD_ID: {
        abtc_problem_t *pr = abtc_problem_make(r->pool, HTTP_BAD_REQUEST,
                                               NULL);

        abtc_problem_param(pr, r->pool, rq->route->id_name,
                           "must be a positive integer");
        return abtc_send_problem(rq, pr);
    }
    case ABTC_ROUTE_FOUND:
        break;
    }
    return abtc_op_function(rq->route->op)(rq);
}

/* ---- request bodies ---- */

static int is_json_media_type(const char *ct)
{
    const char *end = strchr(ct, ';');
    apr_size_t n = end ? (apr_size_t)(end - ct) : strlen(ct);

    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t')) {
        n--;
    }
    if (n == 16 && !strncasecmp(ct, "application/json", 16)) {
        return 1;
    }
    /* structured syntax suffix: application/merge-patch+json, ... */
    return n > 17 && !strncasecmp(ct, "application/", 12)
           && !strncasecmp(ct + n - 5, "+json", 5);
}

json_object *abtc_read_json(abtc_req_t *rq, abtc_problem_t **pr)
{
    request_rec *r = rq->r;
    const char *ct = apr_table_get(r->headers_in, "Content-Type");
    const char *cl = apr_table_get(r->headers_in, "Content-Length");
    const char *ce = apr_table_get(r->headers_in, "Content-Encoding");
    apr_off_t max = rq->cfg->max_body, announced = -1;
    char *buf;
    apr_size_t len = 0, cap;
    const char *err = NULL;
    json_object *body;
    int rv;

    if (ct && !is_json_media_type(ct)) {
        *pr = abtc_problem_make(r->pool, HTTP_UNSUPPORTED_MEDIA_TYPE,
                                "The request body must be application/json.");
        return NULL;
    }
    if (ce && strcasecmp(ce, "identity")) {
        /* RFC 9110 8.4.1: an unsupported content coding is a 415 */
        *pr = abtc_problem_make(r->pool, HTTP_UNSUPPORTED_MEDIA_TYPE,
                                "The request body must not be encoded "
                                "(Content-Encoding).");
        return NULL;
    }
    if (cl) {
        char *end;

        if (apr_strtoff(&announced, cl, &end, 10) != APR_SUCCESS
            || *end != '\0' || announced < 0) {
            announced = -1;
        }
    }
    if (announced > max) {
        r->connection->keepalive = AP_CONN_CLOSE;
        *pr = abtc_problem_makef(r->pool, HTTP_REQUEST_ENTITY_TOO_LARGE,
                                 "The request body is larger than %"
                                 APR_OFF_T_FMT " bytes.", max);
        return NULL;
    }
    if ((rv = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK)) != OK) {
        *pr = abtc_problem_make(r->pool, rv == HTTP_REQUEST_ENTITY_TOO_LARGE
                                ? rv : HTTP_BAD_REQUEST,
                                "The request body could not be read.");
        return NULL;
    }
    /* room for the announced length when there is one (httpd holds the
     * body to it), else for one byte more than the maximum */
    cap = (apr_size_t)(announced >= 0 ? announced : max) + 1;
    buf = apr_palloc(r->pool, cap);
    if (ap_should_client_block(r)) {
        for (;;) {
            long got = ap_get_client_block(r, buf + len, cap - len);

            if (got < 0) {
                *pr = abtc_problem_make(r->pool, HTTP_BAD_REQUEST,
                                        "The request body could not be "
                                        "read.");
                return NULL;
            }
            if (got == 0) {
                break;
            }
            len += (apr_size_t)got;
            if (len > (apr_size_t)max) {
                /* also for chunked bodies, which announce no length */
                r->connection->keepalive = AP_CONN_CLOSE;
                *pr = abtc_problem_makef(r->pool,
                                         HTTP_REQUEST_ENTITY_TOO_LARGE,
                                         "The request body is larger than %"
                                         APR_OFF_T_FMT " bytes.", max);
                return NULL;
            }
        }
    }
    if (len == 0) {
        *pr = abtc_problem_make(r->pool, HTTP_BAD_REQUEST,
                                "A JSON request body is required.");
        return NULL;
    }
    body = abtc_json_parse(r->pool, buf, len, rq->cfg->max_depth, &err);
    if (err) {
        *pr = abtc_problem_make(r->pool, HTTP_BAD_REQUEST,
                                apr_pstrcat(r->pool, "The request body is not "
                                            "valid JSON: ", err, ".", NULL));
        return NULL;
    }
    if (!json_object_is_type(body, json_type_object)) {
        *pr = abtc_problem_make(r->pool, HTTP_BAD_REQUEST,
                                "The request body must be a JSON object.");
        return NULL;
    }
    return body;
}

/* ---- problem documents for errors httpd and mod_auth_openidc raise ---- */

static const char *problem_detail(int status, request_rec *orig)
{
    const char *www = orig ? apr_table_get(orig->err_headers_out,
                                           "WWW-Authenticate") : NULL;

    switch (status) {
    case HTTP_UNAUTHORIZED:
        if (www && strstr(www, "invalid_token")) {
            return "The bearer token is not valid.";
        }
        return "A valid bearer token is required.";
    case HTTP_FORBIDDEN:
        return "The token does not grant this operation.";
    case HTTP_NOT_FOUND:
        return "No such resource in this API.";
    case HTTP_REQUEST_ENTITY_TOO_LARGE:
        return "The request body is too large.";
    case HTTP_REQUEST_URI_TOO_LARGE:
        return "The request URI is too long.";
    default:
        return NULL;
    }
}

int abtc_problem_handler(request_rec *r)
{
    request_rec *orig = r->prev;
    abtc_req_t rq;
    const char *status_env;
    int status, bad;

    if (!r->handler || strcmp(r->handler, ABTC_PROBLEM_HANDLER)) {
        return DECLINED;
    }
    status = orig ? orig->status : 0;
    status_env = apr_table_get(r->subprocess_env, "REDIRECT_STATUS");
    if (status < 400 && status_env) {
        status = atoi(status_env);
    }
    if (status < 400 || status > 599) {
        status = HTTP_NOT_FOUND;
    }
    memset(&rq, 0, sizeof(rq));
    rq.r = r;
    rq.correlation_id = orig ? apr_table_get(orig->notes,
                                             "abtc-correlation-id") : NULL;
    if (!rq.correlation_id) {
        rq.correlation_id = correlation_id(orig ? orig : r, &bad);
    }
    apr_table_setn(r->err_headers_out, CORRELATION_HEADER, rq.correlation_id);
    return abtc_send_problem(&rq, abtc_problem_make(r->pool, status,
                             problem_detail(status, orig)));
}
