/* abtc_search.c: list endpoint parameters -> one SELECT. */

#include "abtc_search.h"
#include "abtc_format.h"
#include "abtc_links.h"
#include "abtc_query.h"

#include <apr_strings.h>
#include <string.h>

#define OFFSET_MAX 1000000000

/* Values given for one filter, gathered over repeated parameters. */
typedef struct {
    const abtc_filter_t *filter;
    const char *given_as;              /* the parameter name as sent */
    apr_array_header_t *values;        /* const char * */
} gathered_t;

static const abtc_filter_t *filter_find(const abtc_search_t *s,
                                        const char *name)
{
    const abtc_filter_t *f;

    for (f = s->filters; f->name; f++) {
        if (!strcasecmp(f->name, name)
            || (f->alias && !strcasecmp(f->alias, name))) {
            return f;
        }
    }
    return NULL;
}

static int is_list(const abtc_filter_t *f)
{
    return f->type == ABTC_Q_INT_LIST || f->type == ABTC_Q_ENUM_LIST;
}

/* Validate one value of f; returns the parameter text or NULL (problem
 * added). *day is set for a bare date given to INSTANT_EQ. */
static const char *filter_value(apr_pool_t *p, const abtc_filter_t *f,
                                const char *given_as, const char *v,
                                int *day, abtc_problem_t *pr)
{
    apr_int64_t n;
    const char *out;

    *day = 0;
    if (!*v) {
        abtc_problem_param(pr, p, given_as, "must not be empty");
        return NULL;
    }
    switch (f->type) {
    case ABTC_Q_INT:
    case ABTC_Q_INT_LIST:
        if (!abtc_int_parse(v, 0, f->type == ABTC_Q_INT_LIST ? 2147483647
                                                           : APR_INT64_MAX,
                            &n)) {
            abtc_problem_param(pr, p, given_as, "must be an integer");
            return NULL;
        }
        return apr_psprintf(p, "%" APR_INT64_T_FMT, n);
    case ABTC_Q_UUID:
        out = abtc_uuid_normalize(p, v);
        if (!out) {
            abtc_problem_param(pr, p, given_as, "must be a UUID");
        }
        return out;
    case ABTC_Q_DATE:
        out = abtc_date_normalize(p, v);
        if (!out) {
            abtc_problem_param(pr, p, given_as,
                               "must be a valid date YYYY-MM-DD");
        }
        return out;
    case ABTC_Q_INSTANT:
    case ABTC_Q_INSTANT_EQ:
        out = abtc_datetime_normalize(p, v, 1, day);
        if (!out) {
            /* D8: the seed's 400 example shape */
            out = apr_psprintf(p, "'%s' is not a valid Datetime",
                               strlen(v) > 40 ? "(too long)" : v);
            if (!pr->detail) {
                pr->title = "Your request contains an invalid datatype";
                pr->detail = out;
            }
            abtc_problem_param(pr, p, given_as, out);
            out = NULL;
        }
        return out;
    case ABTC_Q_ENUM_LIST: {
        const char *const *e;

        for (e = f->enum_values; *e; e++) {
            if (!strcasecmp(*e, v)) {
                return *e;
            }
        }
        abtc_problem_param(pr, p, given_as, "is not one of the known values");
        return NULL;
    }
    case ABTC_Q_TEXT:
        if (strlen(v) > 255) {
            abtc_problem_param(pr, p, given_as, "is too long");
            return NULL;
        }
        out = f->norm ? f->norm(p, v) : v;
        if (!out) {
            abtc_problem_param(pr, p, given_as, "is not a valid value");
        }
        return out;
    }
    return NULL;
}

/* A condition of the filter table with every "%s" replaced by the
 * parameter reference ("$3"): the fragments are fixed text, never input. */
static const char *fill_param(apr_pool_t *p, const char *tmpl,
                              const char *ref)
{
    const char *out = "", *hole;

    while ((hole = strstr(tmpl, "%s")) != NULL) {
        out = apr_pstrcat(p, out, apr_pstrndup(p, tmpl, hole - tmpl), ref,
                          NULL);
        tmpl = hole + 2;
    }
    return apr_pstrcat(p, out, tmpl, NULL);
}

/* "{1,2}" / {"A","B"}: PostgreSQL array literal of validated values. */
static const char *array_literal(apr_pool_t *p, const apr_array_header_t *vals)
{
    const char *s = "{";
    int i;

    for (i = 0; i < vals->nelts; i++) {
        s = apr_pstrcat(p, s, i ? "," : "", APR_ARRAY_IDX(vals, i,
                                                          const char *), NULL);
    }
    return apr_pstrcat(p, s, "}", NULL);
}

static const char *order_by(apr_pool_t *p, const abtc_search_t *s,
                            const char *sort, abtc_problem_t *pr)
{
    const char *order = "";
    char *copy, *item, *state;

    if (sort) {
        copy = apr_pstrdup(p, sort);
        for (item = apr_strtok(copy, ",", &state); item;
             item = apr_strtok(NULL, ",", &state)) {
            const abtc_sort_t *so;
            int desc = 0;

            while (*item == ' ') {
                item++;
            }
            if (*item == '-' || *item == '+') {
                desc = *item == '-';
                item++;
            }
            for (so = s->sorts; so->name; so++) {
                if (!strcasecmp(so->name, item)) {
                    break;
                }
            }
            if (!so->name) {
                abtc_problem_param(pr, p, "sort",
                                   apr_pstrcat(p, "cannot sort on \"",
                                               item, "\"", NULL));
                return NULL;
            }
            order = apr_pstrcat(p, order, so->sql, desc ? " DESC" : "", ", ",
                                NULL);
        }
        if (!*order) {
            abtc_problem_param(pr, p, "sort", "must name a field");
            return NULL;
        }
    }
    return apr_pstrcat(p, order, s->id_sql, NULL);
}

abtc_search_req_t *abtc_search_build(apr_pool_t *p, const abtc_search_t *s,
                                     const apr_array_header_t *params,
                                     const abtc_search_opts_t *opts,
                                     abtc_problem_t *pr)
{
    abtc_search_req_t *sr = apr_pcalloc(p, sizeof(*sr));
    apr_array_header_t *gathered = apr_array_make(p, 8, sizeof(gathered_t));
    const char *sort = NULL, *order, *where = "";
    const char *offset_ref, *limit_ref;
    const char **group_conds;
    int ngroups = 0, i, j, seen_offset = 0, seen_limit = 0;

    sr->offset = 0;
    sr->limit = opts->default_limit;
    sr->link_params = apr_array_make(p, 8, sizeof(abtc_param_t));
    while (s->groups[ngroups]) {
        ngroups++;
    }
    group_conds = apr_pcalloc(p, sizeof(const char *) * (ngroups + 1));

    for (i = 0; i < params->nelts; i++) {
        const abtc_param_t *pm = &APR_ARRAY_IDX(params, i, abtc_param_t);
        const abtc_filter_t *f;
        gathered_t *g = NULL;

        if (!strcasecmp(pm->name, "offset") || !strcasecmp(pm->name, "limit")) {
            int is_offset = !strcasecmp(pm->name, "offset");
            apr_int64_t n;

            if (is_offset ? seen_offset++ : seen_limit++) {
                abtc_problem_param(pr, p, pm->name, "is given more than once");
                continue;
            }
            if (is_offset) {
                if (!abtc_int_parse(pm->value, 0, OFFSET_MAX, &n)) {
                    abtc_problem_param(pr, p, pm->name,
                                       "must be an integer of at least 0");
                    continue;
                }
                sr->offset = n;
                continue;
            }
            if (!abtc_int_parse(pm->value, 1, opts->max_limit, &n)) {
                abtc_problem_param(pr, p, pm->name,
                                   apr_psprintf(p, "must be an integer from "
                                                "1 to %d", opts->max_limit));
                continue;
            }
            sr->limit = n;
            *(abtc_param_t *)apr_array_push(sr->link_params) = *pm;
            continue;
        }
        *(abtc_param_t *)apr_array_push(sr->link_params) = *pm;
        if (!strcasecmp(pm->name, "sort")) {
            if (sort) {
                abtc_problem_param(pr, p, pm->name, "is given more than once");
            }
            sort = pm->value;
            continue;
        }
        f = filter_find(s, pm->name);
        if (!f) {
            abtc_problem_param(pr, p, pm->name, "is not a known parameter");
            continue;
        }
        for (j = 0; j < gathered->nelts; j++) {
            if (APR_ARRAY_IDX(gathered, j, gathered_t).filter == f) {
                g = &APR_ARRAY_IDX(gathered, j, gathered_t);
            }
        }
        if (!g) {
            g = apr_array_push(gathered);
            g->filter = f;
            g->given_as = pm->name;
            g->values = apr_array_make(p, 2, sizeof(const char *));
        }
        if (is_list(f)) {
            apr_array_header_t *items = abtc_query_split_list(p, pm->value);

            if (!items) {
                abtc_problem_param(pr, p, pm->name,
                                   "must be a comma-separated list without "
                                   "empty items");
                continue;
            }
            apr_array_cat(g->values, items);
        }
        else if (g->values->nelts) {
            abtc_problem_param(pr, p, pm->name, "is given more than once");
        }
        else {
            APR_ARRAY_PUSH(g->values, const char *) = pm->value;
        }
    }

    sr->stmt = abtc_stmt_make(p, NULL);
    sr->stmt->text_typed = 2;
    abtc_stmt_param(sr->stmt, p, opts->tz);          /* $1 */
    abtc_stmt_param(sr->stmt, p, opts->base_url);    /* $2 */

    for (i = 0; i < gathered->nelts; i++) {
        gathered_t *g = &APR_ARRAY_IDX(gathered, i, gathered_t);
        const abtc_filter_t *f = g->filter;
        const char *cond, *ref;
        int day = 0;

        if (is_list(f)) {
            apr_array_header_t *vals = apr_array_make(p, g->values->nelts,
                                                      sizeof(const char *));

            for (j = 0; j < g->values->nelts; j++) {
                const char *v = filter_value(p, f, g->given_as,
                                             APR_ARRAY_IDX(g->values, j,
                                                           const char *),
                                             &day, pr);
                if (v) {
                    APR_ARRAY_PUSH(vals, const char *) = v;
                }
            }
            ref = abtc_stmt_param(sr->stmt, p, array_literal(p, vals));
        }
        else {
            const char *v = filter_value(p, f, g->given_as,
                                         APR_ARRAY_IDX(g->values, 0,
                                                       const char *),
                                         &day, pr);
            if (!v) {
                continue;
            }
            ref = abtc_stmt_param(sr->stmt, p, v);
        }
        cond = fill_param(p, (day && f->sql_day) ? f->sql_day : f->sql, ref);
        if (f->group == 0) {
            where = apr_pstrcat(p, where, *where ? " AND " : "", cond, NULL);
        }
        else {
            const char **gc = &group_conds[f->group - 1];

            *gc = apr_pstrcat(p, *gc ? *gc : s->groups[f->group - 1],
                              " AND ", cond, NULL);
        }
    }
    for (i = 0; i < ngroups; i++) {
        if (group_conds[i]) {
            where = apr_pstrcat(p, where, *where ? " AND " : "",
                                group_conds[i], ")", NULL);
        }
    }

    order = order_by(p, s, sort, pr);
    if (abtc_problem_has_errors(pr)) {
        return NULL;
    }
    offset_ref = abtc_stmt_param(sr->stmt, p, apr_psprintf(p,
                                 "%" APR_INT64_T_FMT, sr->offset));
    limit_ref = abtc_stmt_param(sr->stmt, p, apr_psprintf(p,
                                "%" APR_INT64_T_FMT, sr->limit + 1));
    /* the page's ids in order, then their documents in that order */
    sr->stmt->text = apr_psprintf(p,
        "SELECT %s($1, $2, ARRAY(SELECT %s FROM %s WHERE %s ORDER BY %s"
        " OFFSET %s::bigint LIMIT %s::bigint))",
        s->doc_function, s->id_sql, s->from, *where ? where : "true", order,
        offset_ref, limit_ref);
    return sr;
}

const char *abtc_search_links(apr_pool_t *p, const abtc_search_t *s,
                              const abtc_search_req_t *sr,
                              const char *base_url, int has_more)
{
    return abtc_links_page(p, base_url, s->path, sr->link_params, sr->offset,
                           sr->limit, has_more);
}
