/* abtc_sql: parameterised SQL statements built from the resource tables.
 *
 * Identifiers and fragments come only from abtc_resource's fixed tables;
 * every value travels as a $n parameter in stmt->params.
 */
#ifndef ABTC_SQL_H
#define ABTC_SQL_H

#include "abtc_body.h"
#include "abtc_resource.h"

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct {
    const char *text;
    apr_array_header_t *params;   /* const char *; NULL = SQL NULL */
    int text_typed;               /* the first n parameters are sent typed
                                     text (others are inferred), so that a
                                     document that does not use $2 runs */
} abtc_stmt_t;

abtc_stmt_t *abtc_stmt_make(apr_pool_t *p, const char *text);

/* Append a parameter; returns its reference "$n". */
const char *abtc_stmt_param(abtc_stmt_t *st, apr_pool_t *p,
                            const char *value);

/* "json_build_object('a', expr, ...)" for a document description. */
const char *abtc_sql_document(apr_pool_t *p, const abtc_out_t *out);

/* The documents of a list page are built by PL/pgSQL functions
 * (abt_customer_documents(tz, base, ids) ...: one document per id, in the
 * order of ids), so that PostgreSQL plans the large nested document once
 * per connection instead of on every request, and builds a whole page in
 * one set-based pass. Their definitions are generated from the same
 * abtc_out_t tables (abtc-gendocs writes sql/R_documents.sql, a unit test
 * keeps it in step).
 *
 * The CREATE FUNCTION statements of all list documents: */
const char *abtc_sql_document_functions(apr_pool_t *p);

/* The statements below answer RETURNING <owner>, <returning>: column 0 is
 * the customer_profile_id the change is audited for, then the caller's
 * columns (usually the response document as text). */

/* INSERT INTO res (parent, columns...) VALUES (...) [suffix] RETURNING ...
 * tz is used for date-time values. */
abtc_stmt_t *abtc_sql_insert(apr_pool_t *p, const abtc_resource_t *res,
                             const apr_array_header_t *values,
                             apr_int64_t parent_id, const char *suffix,
                             const char *returning, const char *tz);

/* UPDATE res SET columns... WHERE id = $1 RETURNING ... */
abtc_stmt_t *abtc_sql_update(apr_pool_t *p, const abtc_resource_t *res,
                             const apr_array_header_t *values,
                             apr_int64_t id, const char *returning,
                             const char *tz);

/* DELETE FROM res WHERE id = $1 RETURNING ... */
abtc_stmt_t *abtc_sql_delete(apr_pool_t *p, const abtc_resource_t *res,
                             apr_int64_t id, const char *returning);

#endif
