/* mod_abtcustomers: shared declarations of the httpd glue.
 *
 * mod_abtcustomers.c         hooks and the module record
 * mod_abtcustomers_config.c  directives, per-server/per-dir config + merge
 * mod_abtcustomers_handler.c request prologue, routing, body, responses
 * mod_abtcustomers_db.c      mod_dbd/libpq access, transactions, audit
 * mod_abtcustomers_ops.c     the 25 operations
 */
#ifndef MOD_ABTCUSTOMERS_H
#define MOD_ABTCUSTOMERS_H

#include "httpd.h"
#include "http_config.h"
#include "http_log.h"

#include "abtc_problem.h"
#include "abtc_route.h"

#include <json-c/json.h>

/* Log tags of this module: ABTC00001 onwards, one per message. */
#define ABTCLOGNO(n) "ABTC" #n ": "

#define ABTC_HANDLER "abtcustomers"
#define ABTC_PROBLEM_HANDLER "abtcustomers-problem"

#define ABTC_UNSET -1

typedef struct {
    const char *base_url;        /* ABTCustomersBaseURL; NULL: from request */
    int default_limit;           /* ABTCustomersDefaultLimit */
    int max_limit;               /* ABTCustomersMaxLimit */
    apr_off_t max_body;          /* ABTCustomersMaxBody */
    const char *time_zone;       /* ABTCustomersTimeZone */
    const char *anonymous_user;  /* ABTCustomersAnonymousUser */
    int token_times;             /* ABTCustomersTokenTimes */
    int max_depth;               /* ABTCustomersMaxDepth */
} abtc_srv_cfg;

extern module AP_MODULE_DECLARE_DATA abtcustomers_module;

typedef struct abtc_db abtc_db_t;

/* Everything one request needs, on r->pool. */
typedef struct {
    request_rec *r;
    const abtc_srv_cfg *cfg;
    const abtc_route_t *route;
    apr_int64_t id;              /* the path id, 0 if none */
    const char *correlation_id;
    const char *user;            /* audit user */
    const char *base_url;
    abtc_db_t *db;               /* acquired on first use */
} abtc_req_t;

/* config */
extern const command_rec abtc_cmds[];
void *abtc_create_srv_cfg(apr_pool_t *p, server_rec *s);
void *abtc_merge_srv_cfg(apr_pool_t *p, void *basev, void *addv);
void abtc_config_finish(apr_pool_t *pconf, server_rec *s);

/* handler */
int abtc_handler(request_rec *r);
int abtc_problem_handler(request_rec *r);
/* Sends JSON text from PostgreSQL, compacted. */
int abtc_send_json(abtc_req_t *rq, int status, const char *json);
/* Sends len bytes of JSON text as they are. */
int abtc_send_json_text(abtc_req_t *rq, int status, const char *json,
                        apr_size_t len);
int abtc_send_problem(abtc_req_t *rq, const abtc_problem_t *pr);
/* Reads and strictly parses the JSON body; NULL with *pr set on failure. */
json_object *abtc_read_json(abtc_req_t *rq, abtc_problem_t **pr);

/* operations: one entry per abtc_op_t */
typedef int (*abtc_op_fn)(abtc_req_t *rq);
abtc_op_fn abtc_op_function(abtc_op_t op);

#endif
