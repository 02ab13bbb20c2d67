/* abtc_sql: prints the SELECT the module runs for a list request, with
 * every $n replaced by a quoted literal of its value, so that the output
 * runs as it is in psql (EXPLAIN ANALYZE) or pgbench.
 *
 *   abtc_sql customers 'surname=Jansen&limit=5' [tz] [base]
 *   abtc_sql --list customers      (its filters and sort keys, one a line)
 *
 * The statement comes from the module's own code (abtc_query_parse,
 * abtc_search_build: the documents come from the page's PL/pgSQL document
 * function), not from a copy of it. The module sends the values with PQexecParams: the first text_typed of them typed
 * text, the rest untyped; a literal 'x'::text and a bare 'x' (type unknown,
 * resolved from its context) stand for them the same way. An unnamed
 * statement is planned with its values, as this text is.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_strings.h>

#include "abtc_query.h"
#include "abtc_search.h"
#include "abtc_sql.h"

static const struct {
    const char *name;
    const abtc_search_t *search;
} searches[] = {
    { "customers", &abtc_search_customers },
    { "ovpaytokens", &abtc_search_tokens },
    { "billingInformations", &abtc_search_billing },
    { "directdebitmandates", &abtc_search_mandates },
};

#define NSEARCHES ((int)(sizeof(searches) / sizeof(searches[0])))

static int usage(void)
{
    int i;

    fprintf(stderr, "usage: abtc_sql RESOURCE 'QUERY-STRING' [TZ] [BASE-URL]\n"
                    "       abtc_sql --list RESOURCE\n"
                    "  RESOURCE: ");
    for (i = 0; i < NSEARCHES; i++) {
        fprintf(stderr, "%s%s", i ? "|" : "", searches[i].name);
    }
    fprintf(stderr, "\n  TZ default Europe/Amsterdam, BASE-URL default "
                    "http://127.0.0.1:8080/abt/abtcustomers/2.0\n");
    return 2;
}

/* 'value' with every quote doubled, NULL for NULL. */
static const char *sql_literal(apr_pool_t *p, const char *v, int typed_text)
{
    const char *s;
    char *out, *o;

    if (v == NULL) {
        return typed_text ? "NULL::text" : "NULL";
    }
    o = out = apr_palloc(p, 2 * strlen(v) + 3);
    *o++ = '\'';
    for (s = v; *s; s++) {
        if (*s == '\'') {
            *o++ = '\'';
        }
        *o++ = *s;
    }
    *o++ = '\'';
    *o = '\0';
    return typed_text ? apr_pstrcat(p, out, "::text", NULL) : out;
}

/* The statement text with $n replaced by literals. Quoted strings and
 * identifiers of the text are copied as they are: a '$' inside them is no
 * parameter. */
static const char *inline_params(apr_pool_t *p, const abtc_stmt_t *st)
{
    const char *t = st->text, *run = t;
    const char *out = "";
    int n = st->params->nelts;

    while (*t) {
        if (*t == '\'' || *t == '"') {
            char q = *t++;

            while (*t && !(*t == q && t[1] != q)) {
                t += (*t == q) ? 2 : 1;
            }
            if (*t) {
                t++;
            }
            continue;
        }
        if (*t == '$' && t[1] >= '0' && t[1] <= '9') {
            const char *d = t + 1;
            long k = 0;

            while (*d >= '0' && *d <= '9' && k <= n) {
                k = k * 10 + (*d++ - '0');
            }
            if (k < 1 || k > n) {
                fprintf(stderr, "abtc_sql: the statement names $%ld, but has "
                                "%d parameters\n", k, n);
                exit(1);
            }
            out = apr_pstrcat(p, out, apr_pstrndup(p, run, t - run),
                              sql_literal(p, APR_ARRAY_IDX(st->params, k - 1,
                                                           const char *),
                                          k <= st->text_typed),
                              NULL);
            run = t = d;
            continue;
        }
        t++;
    }
    return apr_pstrcat(p, out, run, NULL);
}

static const abtc_search_t *search_find(const char *name)
{
    int i;

    if (name[0] == '/') {
        name++;
    }
    for (i = 0; i < NSEARCHES; i++) {
        if (!strcasecmp(name, searches[i].name)) {
            return searches[i].search;
        }
    }
    return NULL;
}

/* "filter NAME" and "sort NAME" lines: what bench/explain covers. */
static int list(const abtc_search_t *s)
{
    const abtc_filter_t *f;
    const abtc_sort_t *so;

    for (f = s->filters; f->name; f++) {
        printf("filter %s\n", f->name);
    }
    for (so = s->sorts; so->name; so++) {
        printf("sort %s\n", so->name);
    }
    return 0;
}

int main(int argc, char **argv)
{
    apr_pool_t *p;
    const abtc_search_t *s;
    apr_array_header_t *params;
    abtc_search_opts_t opts;
    abtc_search_req_t *sr;
    abtc_problem_t *pr;
    const char *bad_name, *bad_reason;

    if (argc == 3 && !strcmp(argv[1], "--list")) {
        s = search_find(argv[2]);
        return s ? list(s) : usage();
    }
    if (argc < 3 || argc > 5 || (s = search_find(argv[1])) == NULL) {
        return usage();
    }
    if (apr_initialize() != APR_SUCCESS || apr_pool_create(&p, NULL)) {
        fprintf(stderr, "abtc_sql: APR initialisation failed\n");
        return 1;
    }
    atexit(apr_terminate);

    /* the values of conf/abtcustomers.conf and build/run */
    opts.default_limit = 20;
    opts.max_limit = 100;
    opts.tz = argc > 3 ? argv[3] : "Europe/Amsterdam";
    opts.base_url = argc > 4 ? argv[4]
                             : "http://127.0.0.1:8080/abt/abtcustomers/2.0";

    if (abtc_query_parse(p, argv[2][0] == '?' ? argv[2] + 1 : argv[2],
                         &params, &bad_name, &bad_reason) != APR_SUCCESS) {
        fprintf(stderr, "abtc_sql: query parameter %s: %s\n", bad_name,
                bad_reason);
        return 1;
    }
    pr = abtc_problem_make(p, 400, NULL);
    sr = abtc_search_build(p, s, params, &opts, pr);
    if (sr == NULL) {
        fprintf(stderr, "abtc_sql: the module would answer 400: %s\n",
                abtc_problem_json(p, pr, "00000000-0000-0000-0000-000000000000"));
        return 1;
    }
    printf("%s;\n", inline_params(p, sr->stmt));
    return 0;
}
