/* abtc_sql.c: statements from the resource tables. */

#include "abtc_sql.h"

#include <apr_strings.h>
#include <string.h>

abtc_stmt_t *abtc_stmt_make(apr_pool_t *p, const char *text)
{
    abtc_stmt_t *st = apr_pcalloc(p, sizeof(*st));

    st->text = text;
    st->params = apr_array_make(p, 8, sizeof(const char *));
    return st;
}

const char *abtc_stmt_param(abtc_stmt_t *st, apr_pool_t *p,
                            const char *value)
{
    APR_ARRAY_PUSH(st->params, const char *) = value;
    return apr_psprintf(p, "$%d", st->params->nelts);
}

/* Members of one object as "'name', expr, ..." */
static const char *document_members(apr_pool_t *p, const abtc_out_t *out)
{
    const char *s = "";
    const abtc_out_t *o;

    for (o = out; o->name; o++) {
        const char *value;

        if (o->expr) {
            value = o->expr;
        }
        else if (o->array) {
            value = apr_pstrcat(p, "coalesce((SELECT json_agg(",
                                abtc_sql_document(p, o->object),
                                " ORDER BY ", o->order, ") FROM ", o->from,
                                "), '[]'::json)", NULL);
        }
        else if (o->from) {
            value = apr_pstrcat(p, "(SELECT ", abtc_sql_document(p, o->object),
                                " FROM ", o->from, ")", NULL);
        }
        else {
            value = abtc_sql_document(p, o->object);
        }
        s = apr_pstrcat(p, s, o == out ? "" : ", ", "'", o->name, "', ",
                        value, NULL);
    }
    return s;
}

const char *abtc_sql_document(apr_pool_t *p, const abtc_out_t *out)
{
    return apr_pstrcat(p, "json_build_object(", document_members(p, out), ")",
                       NULL);
}

/* The SQL expression that stores one value. */
static const char *value_expr(abtc_stmt_t *st, apr_pool_t *p,
                              const abtc_value_t *v, const char **tz_ref,
                              const char *tz)
{
    const char *ref = abtc_stmt_param(st, p, v->value);

    switch (v->field->type) {
    case ABTC_V_DATETIME:
        if (!*tz_ref) {
            *tz_ref = abtc_stmt_param(st, p, tz);
        }
        return apr_pstrcat(p, "abt_ts_in(", ref, "::text, ", *tz_ref,
                           "::text)", NULL);
    case ABTC_V_DATE:
        return apr_pstrcat(p, ref, "::date", NULL);
    case ABTC_V_BOOL:
        return apr_pstrcat(p, ref, "::boolean", NULL);
    case ABTC_V_INT:
    case ABTC_V_LOOKUP:
        return apr_pstrcat(p, ref, "::bigint", NULL);
    default:
        return ref;
    }
}

static const char *returning_clause(apr_pool_t *p,
                                    const abtc_resource_t *res,
                                    const char *returning)
{
    return apr_pstrcat(p, " RETURNING ", res->owner_sql, ", ", returning,
                       NULL);
}

abtc_stmt_t *abtc_sql_insert(apr_pool_t *p, const abtc_resource_t *res,
                             const apr_array_header_t *values,
                             apr_int64_t parent_id, const char *suffix,
                             const char *returning, const char *tz)
{
    abtc_stmt_t *st = abtc_stmt_make(p, NULL);
    const char *cols = "", *exprs = "", *tz_ref = NULL;
    const char *sep = "";
    int i;

    if (res->parent_column) {
        cols = res->parent_column;
        exprs = apr_pstrcat(p, abtc_stmt_param(st, p,
                            apr_psprintf(p, "%" APR_INT64_T_FMT, parent_id)),
                            "::bigint", NULL);
        sep = ", ";
    }
    for (i = 0; i < values->nelts; i++) {
        const abtc_value_t *v = &APR_ARRAY_IDX(values, i, abtc_value_t);

        cols = apr_pstrcat(p, cols, sep, v->field->column, NULL);
        exprs = apr_pstrcat(p, exprs, sep, value_expr(st, p, v, &tz_ref, tz),
                            NULL);
        sep = ", ";
    }
    st->text = apr_pstrcat(p, "INSERT INTO ", res->table,
                           *cols ? " (" : " DEFAULT VALUES", cols,
                           *cols ? ") VALUES (" : "", exprs,
                           *cols ? ")" : "", suffix ? " " : "",
                           suffix ? suffix : "",
                           returning_clause(p, res, returning), NULL);
    return st;
}

abtc_stmt_t *abtc_sql_update(apr_pool_t *p, const abtc_resource_t *res,
                             const apr_array_header_t *values,
                             apr_int64_t id, const char *returning,
                             const char *tz)
{
    abtc_stmt_t *st = abtc_stmt_make(p, NULL);
    const char *id_ref, *sets = "", *tz_ref = NULL;
    int i;

    id_ref = abtc_stmt_param(st, p, apr_psprintf(p, "%" APR_INT64_T_FMT, id));
    for (i = 0; i < values->nelts; i++) {
        const abtc_value_t *v = &APR_ARRAY_IDX(values, i, abtc_value_t);

        sets = apr_pstrcat(p, sets, i ? ", " : "", v->field->column, " = ",
                           value_expr(st, p, v, &tz_ref, tz), NULL);
    }
    if (res->on_update_sql) {
        sets = apr_pstrcat(p, sets, *sets ? ", " : "", res->on_update_sql,
                           NULL);
    }
    st->text = apr_pstrcat(p, "UPDATE ", res->table, " SET ", sets,
                           " WHERE ", res->id_column, " = ", id_ref,
                           "::bigint", returning_clause(p, res, returning),
                           NULL);
    return st;
}

abtc_stmt_t *abtc_sql_delete(apr_pool_t *p, const abtc_resource_t *res,
                             apr_int64_t id, const char *returning)
{
    abtc_stmt_t *st = abtc_stmt_make(p, NULL);
    const char *id_ref;

    id_ref = abtc_stmt_param(st, p, apr_psprintf(p, "%" APR_INT64_T_FMT, id));
    st->text = apr_pstrcat(p, "DELETE FROM ", res->table, " WHERE ",
                           res->id_column, " = ", id_ref, "::bigint",
                           returning_clause(p, res, returning), NULL);
    return st;
}
