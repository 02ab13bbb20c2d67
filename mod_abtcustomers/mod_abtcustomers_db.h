/* mod_abtcustomers_db: PostgreSQL through mod_dbd's pooled connections.
 *
 * Statements run with PQexecParams on apr_dbd_native_handle(): parameters
 * only, no named prepared statements (they vanish from a pooled connection
 * when PostgreSQL restarts). One place begins, commits and rolls back a
 * transaction, and writes the audit rows of the request just before its
 * COMMIT. SQLSTATEs become problems here; neither SQL text nor values ever
 * reach a response or the error log.
 */
#ifndef MOD_ABTCUSTOMERS_DB_H
#define MOD_ABTCUSTOMERS_DB_H

#include "mod_abtcustomers.h"
#include "abtc_resource.h"
#include "abtc_sql.h"

#include <libpq-fe.h>

/* Retrieve mod_dbd's optional functions (post_config). */
apr_status_t abtc_db_bind(void);

/* What a statement does, so that a constraint violation maps to the right
 * status: a missing parent on INSERT is 404, a row still referenced on
 * DELETE is 409, a bad reference in a field is 400. */
typedef enum {
    ABTC_DB_READ, ABTC_DB_INSERT, ABTC_DB_UPDATE, ABTC_DB_DELETE
} abtc_db_kind_t;

/* Run one statement. Returns a result with PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK (cleared with r->pool), or NULL with *pr set. Outside a
 * transaction a statement that finds its connection broken is retried
 * once on a fresh one. res may be NULL (READ). */
PGresult *abtc_db_exec(abtc_req_t *rq, const abtc_stmt_t *st,
                       const abtc_resource_t *res, abtc_db_kind_t kind,
                       abtc_problem_t **pr);

/* Transactions: begin, then either commit (which first writes the audit
 * rows recorded with abtc_db_audit) or rollback. A request that ends with
 * the transaction still open is rolled back by a pool cleanup, so the
 * connection always goes back to the pool idle. */
int abtc_db_begin(abtc_req_t *rq, abtc_problem_t **pr);
int abtc_db_commit(abtc_req_t *rq, abtc_problem_t **pr);
void abtc_db_rollback(abtc_req_t *rq);

/* Record an audit row (D21, #48) for the customer owning a changed row;
 * written by abtc_db_commit in the same transaction. */
void abtc_db_audit(abtc_req_t *rq, const char *customer_profile_id,
                   const char *action);

/* A result value copied to r->pool, NULL for SQL NULL or no such row. */
const char *abtc_db_value(abtc_req_t *rq, const PGresult *res, int row,
                          int col);

#endif
